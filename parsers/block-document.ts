/**
 * The block document both block readers produce (remark in `blocks.ts`, the line reader in
 * `line-blocks.ts`) and the passes they share. Kept apart so that the two readers do not
 * import each other.
 */
import type { Block } from './block-types.js';
import { inferHeadings, markAttendanceRuns } from './plain-text-blocks.js';

export interface FrontMatter {
  /** The YAML source between the fences. */
  text: string;
  line: number;
  endLine: number;
}

export interface BlockDocument {
  blocks: Block[];
  frontMatter: FrontMatter | null;
  /** Number of lines of the input (1-based line numbers never exceed it). */
  lineCount: number;
  /** True when the input had no Markdown headings: headings were inferred from short lines. */
  plain: boolean;
}

/** Splits like micromark does: CRLF, CR and LF all end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The passes both block readers share: attendance runs, then inferred headings for plain text. */
export function finishBlocks(blocks: Block[], frontMatter: FrontMatter | null, lineCount: number, plain: boolean): BlockDocument {
  markAttendanceRuns(blocks);
  if (plain) inferHeadings(blocks);
  return { blocks, frontMatter, lineCount, plain };
}

/** Cheap inline-markup stripper for lines whose text the tree does not align with. */
export function stripInline(line: string): string {
  return line
    .replace(/^\s{0,3}(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:[^>]*)>/g, '$1')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .trim();
}
