/**
 * Minutes pasted as an indented code block (a MeetBot summary under an rst `::`, raw IRC
 * notes indented four spaces) are still minutes: an indented block that holds an explicit
 * marker is re-read line by line as pseudo-blocks, for explicit markers only. Fenced code
 * (```) is code and is never read.
 */
import type { Block } from './block-types.js';
import { EXPLICIT_HINT } from './markers.js';

const FENCE = /^\s{0,3}(?:```|~~~)/u;
const BULLET = /^(\s*)[*+-]\s+(.*)$/u;
const UNDERLINE = /^\s*(?:-{3,}|={3,})\s*$/u;
/** A line that ends mid-sentence: the next line at the same indent continues it. */
const WRAPPED = /[\p{L}\p{N},;'"’)-]$/u;
/** A line that starts a new entry rather than continuing one: a log line, a speaker, a marker. */
const NEW_ENTRY = /^(?:[<[(\d]|-{1,2}>|=>|\.{1,2}\s|[\w.|-]{1,30}:\s|#\w|(?:action|todo|ai|decision|resolved|agreed)\b)/i;

function pseudo(base: Block, kind: Block['kind'], text: string, line: number, depth: number, headings: string[]): Block {
  return {
    kind, text, raw: text, line, endLine: line, depth, checked: null, struck: false, quoted: base.quoted,
    headings, topic: base.topic, parentText: null, listLabel: null, lines: [{ line, text, raw: text }],
  };
}

/** The pseudo-blocks of an indented code block that holds markers; none for fenced code. */
export function codeBlocks(block: Block): Block[] {
  if (FENCE.test(block.raw) || !EXPLICIT_HINT.test(block.raw)) return [];
  const lines = block.raw.split('\n');
  // An indented block's raw may or may not start at the block's first line; both are 1-based.
  const first = block.line;
  const out: Block[] = [];
  let headings = [...block.headings];
  let current: Block | null = null;
  let currentIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const line = first + i;
    if (text.trim() === '') { current = null; continue; }
    if (UNDERLINE.test(text) && i > 0 && lines[i - 1]!.trim() !== '') {
      // setext underline: the previous line was a heading, not content
      const title = lines[i - 1]!.trim();
      if (out.length > 0 && out[out.length - 1]!.line === line - 1) out.pop();
      headings = [...block.headings, title];
      out.push(pseudo(block, 'heading', title, line - 1, 2, headings.slice(0, -1)));
      current = null;
      continue;
    }
    const bullet = BULLET.exec(text);
    const indent = text.length - text.trimStart().length;
    if (bullet) {
      current = pseudo(block, 'listItem', bullet[2]!.trim(), line, Math.floor(bullet[1]!.length / 2), headings);
      currentIndent = indent;
      out.push(current);
    } else if (current !== null && indent > currentIndent) {
      current.text = `${current.text} ${text.trim()}`;
      current.lines[0]!.text = current.text;
      current.endLine = line;
    } else if (current !== null && current.kind === 'paragraph' && indent === currentIndent && WRAPPED.test(current.text) && !NEW_ENTRY.test(text.trim())) {
      // Prose wrapped at a fixed width (Apache board minutes): one paragraph, read as one.
      current.text = `${current.text} ${text.trim()}`;
      current.lines.push({ line, text: text.trim(), raw: text });
      current.endLine = line;
    } else {
      current = pseudo(block, 'paragraph', text.trim(), line, 0, headings);
      currentIndent = indent;
      out.push(current);
    }
  }
  return out;
}
