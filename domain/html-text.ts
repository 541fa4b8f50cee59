/** HTML-escaping of plain text for the few places that build HTML outside the templates (Eta escapes its own). */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` as HTML text or attribute value: `&`, `<`, `>`, `"` and `'` escaped. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);
