/**
 * Escapes text (a name, an action, a series) for use inside a line of Markdown, so it can
 * only ever be text: no link or image (`[..](..)`), inline HTML, code or `*` emphasis; newlines
 * become spaces so the text stays on its line. Bare URLs are still autolinked by GFM, showing
 * the address itself (as every mail client does with the plain-text part), so no link can hide
 * behind other words. Only what can make markup is escaped, since the agenda email's
 * plain-text part is this Markdown and must stay readable (`AT&T (Ross)` is left alone).
 */
export function escapeMarkdown(s: string): string {
  return String(s)
    .replace(/[\\`*[\]<>]/g, (c) => `\\${c}`)
    .replace(/\s*\n\s*/g, ' ');
}
