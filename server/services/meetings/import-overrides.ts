import type { ParsedAction, ParsedMinutes } from '../../../parsers/types.js';

/**
 * What a note-taker confirmed on the upload preview: applied to the parsed
 * minutes before they are written, so the saved meeting is the one the preview showed.
 */
export interface ImportOverrides {
  /** Owners by action line (1-based line of the text): replaces the parsed owners. */
  owners?: Record<number, string[]>;
  /** Indexes into `suggestions` to store as real actions or decisions. */
  promote?: number[];
}

/**
 * Returns `parsed` with owner fixes and promoted suggestions applied. Lines and indexes that
 * match nothing are ignored (the text may have changed between preview and save; the new
 * preview shows the result either way).
 */
export function applyImportOverrides(parsed: ParsedMinutes, overrides: ImportOverrides | undefined, lineOffset = 0): ParsedMinutes {
  if (!overrides || ((!overrides.owners || Object.keys(overrides.owners).length === 0) && !overrides.promote?.length)) return parsed;
  const ownersAt = (line: number) => overrides.owners?.[line + lineOffset];
  const promote = new Set(overrides.promote ?? []);
  const actions: ParsedAction[] = parsed.actions.map((a) => {
    const o = ownersAt(a.line);
    return o && o.length > 0 ? { ...a, owners: o } : a;
  });
  const decisions = [...parsed.decisions];
  const suggestions = parsed.suggestions.filter((s, i) => {
    if (!promote.has(i)) return true;
    if (s.kind === 'action') {
      actions.push({ owners: ownersAt(s.line) ?? s.owners, text: s.text, due: null, done: false, line: s.line, topic: topicAt(parsed, s.line) });
    } else {
      decisions.push({ text: s.text, line: s.line, topic: topicAt(parsed, s.line) });
    }
    return false;
  });
  actions.sort((a, b) => a.line - b.line);
  decisions.sort((a, b) => a.line - b.line);
  return { ...parsed, actions, decisions, suggestions };
}

/** The topic a line falls under: the last topic heading at or before it. */
function topicAt(parsed: ParsedMinutes, line: number): string | null {
  let title: string | null = null;
  for (const t of parsed.topics) if (t.line <= line) title = t.title;
  return title;
}
