/**
 * RFC 4180 CSV: fields separated by commas, records ended by CRLF, a field quoted (quotes
 * doubled) when it holds a comma, a quote, CR or LF. Null and undefined are empty fields.
 */

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record with its CRLF line end. */
export function csvRecord(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}
