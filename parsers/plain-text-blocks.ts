/**
 * Passes over the block list for text that lost (or never had) its Markdown: `Name, Name; Org`
 * attendance runs, and headings inferred from short standalone lines.
 */
import type { Block } from './block-types.js';

const ORG_LINE = /^[\p{Lu}][^;:()]{1,80};\s*[^;:]{2,60}$/u;
const NAME_LIKE = /^[\p{Lu}][\p{L}'’.-]*(?:,?\s+(?:and|&|[\p{Lu}\d][\p{L}\d'’.&-]*))*(?:;\s*[^;:]{2,60})?$/u;

/**
 * `Name, Name; Org` lines (the OpenXT convention, often with no heading): a run of short
 * top-level lines near the top, at least one with `; Org`, all name-like, is attendance.
 */
export function markAttendanceRuns(blocks: Block[]): void {
  const limit = Math.min(blocks.length, 40);
  let i = 0;
  while (i < limit) {
    let j = i;
    let orgLines = 0;
    while (j < limit) {
      const b = blocks[j];
      if (b.quoted || (b.kind !== 'paragraph' && b.kind !== 'listItem') || b.lines.length !== 1 || b.text.length > 120) break;
      if (!NAME_LIKE.test(b.text)) break;
      if (ORG_LINE.test(b.text)) orgLines++;
      j++;
    }
    if (orgLines > 0) {
      for (let k = i; k < j; k++) blocks[k].role = 'attendance';
      i = j;
    } else i = j > i ? j : i + 1;
  }
}

const SENTENCE_END = /[.,;:!]$/;
const MARKER_START = /^(?:action|ai|todo|decision|decided|agreed|resolved|resolution|topic|note|outcome|conclusion|done)\b/i;

/**
 * In a text with no Markdown headings, a short standalone line followed by more content is a
 * heading (the first one the title): that is how wiki paste loses its headings.
 */
export function inferHeadings(blocks: Block[]): void {
  // A chat log is mostly short lines: there, short lines are talk, not headings.
  let candidates = 0;
  let content = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i].kind === 'code') continue;
    content++;
    if (isInferredHeading(blocks[i], i, blocks)) candidates++;
  }
  if (content >= 10 && candidates / content > 0.3) return;
  const stack: { depth: number; text: string }[] = [];
  let first = true;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (isInferredHeading(b, i, blocks)) {
      b.kind = 'heading';
      b.depth = first ? 1 : 2;
      b.text = b.text.replace(/^\*\*|\*\*$/g, '').trim();
      while (stack.length && stack[stack.length - 1].depth >= b.depth) stack.pop();
      b.headings = stack.map((h) => h.text);
      stack.push({ depth: b.depth, text: b.text });
    } else {
      b.headings = stack.map((h) => h.text);
    }
    if (b.kind !== 'code') first = false;
  }
}

function isInferredHeading(b: Block, i: number, blocks: Block[]): boolean {
  if (b.kind !== 'paragraph' || b.quoted || b.role || b.lines.length !== 1) return false;
  if (i + 1 >= blocks.length) return false;
  const t = b.text;
  if (t.length < 3 || t.length > 80 || t.split(/\s+/).length > 12) return false;
  if (SENTENCE_END.test(t) || MARKER_START.test(t)) return false;
  if (/^\S[^:]{0,40}:\s/.test(t)) return false; // "Ross: ..." speaker lines, "Label: value"
  if (!/[\p{L}\p{N}]/u.test(t)) return false;
  return true;
}
