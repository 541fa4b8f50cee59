import type { Dialect } from './database.js';

/**
 * `column` is one of a bound JSON array (`JSON.stringify(list)`) of ids or texts: SQLite reads
 * it with `json_each`; PostgreSQL compares with `= ANY(ARRAY(...))`, which it evaluates once
 * and answers from the column's index (an `IN (SELECT ... json_array_elements_text ...)`
 * made it scan the whole table: 15-20 ms a listing on 120,000 owner rows).
 */
export function inJsonList(dialect: Dialect, column: string, param: string, kind: 'id' | 'text'): string {
  if (dialect === 'sqlite') return `${column} IN (SELECT value FROM json_each(${param}))`;
  return `${column} = ANY(ARRAY(SELECT value${kind === 'id' ? '::bigint' : ''} FROM json_array_elements_text(CAST(${param} AS json))))`;
}
