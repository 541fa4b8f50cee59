/**
 * Constraint errors as both drivers raise them: better-sqlite3's `SqliteError` codes and
 * PostgreSQL's SQLSTATE (`pg`'s `DatabaseError.code`). Services that turn a constraint into an
 * answer ("that address is taken") ask these instead of looking at either driver's codes.
 *
 * On PostgreSQL a failed statement aborts the transaction it ran in: a caller that catches a
 * constraint error and goes on inside a transaction must run the statement that may fail in a
 * nested `transaction()` (a savepoint), which is harmless on SQLite.
 */
function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
}

/** A UNIQUE or PRIMARY KEY constraint refused the write. */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** A FOREIGN KEY constraint refused the write (a missing parent, or a row still referenced). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
