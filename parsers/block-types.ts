/**
 * The intermediate model between the Markdown tree and the extractors: the minutes as a flat
 * list of logical blocks in document order. Built by `blocks.ts` (from the mdast of
 * `markdown-tree.ts`: remark-parse, GFM and front matter); read by the meeting/attendee/topic
 * extractors and by the item extractor (`items.ts`: actions, decisions, suggestions).
 *
 * Blocks marked `role: 'attendance'` (attendee lists, `- [ ] Name` roll-call checkboxes,
 * `Name, Name; Org` lines) are not passed to `extractItems`: parseMinutes filters them out, so
 * an unchecked attendance box never becomes an action. `topic` is filled by the topic
 * extractor before `extractItems` runs.
 */
export type BlockKind =
  | 'heading'      // ATX/setext heading, or a line the builder judged to be a heading in plain text
  | 'paragraph'    // a paragraph (may span several source lines; `lines` keeps them)
  | 'listItem'     // the own text of one list item (without its nested children)
  | 'tableRow'     // one body row of a GFM table; `cells` holds the cell texts, `header` the header cells
  | 'code';        // fenced/indented code; extractors must not take actions from it

export interface Block {
  kind: BlockKind;
  /** Plain text: inline Markdown removed (emphasis, code ticks, link URLs), link text kept. */
  text: string;
  /** The source text of the block exactly as in the input (for markers like `**Action:**`, `~~`). */
  raw: string;
  /** 1-based first and last line in the input. */
  line: number;
  endLine: number;
  /** Heading level 1-6 for headings; list nesting depth (0 = top) for list items; else 0. */
  depth: number;
  /** GFM task-list state of a list item: true `[x]`, false `[ ]`, null when not a task. */
  checked: boolean | null;
  /** True when the whole block text is struck through (`~~...~~`). */
  struck: boolean;
  /** True inside a blockquote (quoted old minutes are not new actions). */
  quoted: boolean;
  /** Titles of the enclosing headings, outermost first (not including this block if a heading). */
  headings: string[];
  /** The topic this block belongs to: the nearest heading (or `Topic:` line) that names a topic, or null. */
  topic: string | null;
  /** For list items: the text of the parent list item (nearest), e.g. a bold label above sub-bullets. */
  parentText: string | null;
  /** Text of the label paragraph directly before the list this item belongs to (e.g. "**Next steps**"), or null. */
  listLabel: string | null;
  /** Table rows only. */
  cells?: string[];
  header?: string[];
  /**
   * What the block is for, when the core extractors have recognised it: `attendance` marks
   * attendee/absent/role lines (never items). Absent = ordinary content.
   */
  role?: 'attendance';
  /** Source lines of the block with their line numbers (a paragraph can hold several marker lines). */
  lines: { line: number; text: string; raw: string }[];
}
