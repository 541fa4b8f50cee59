/**
 * Markdown (or plain text) -> the flat Block list the extractors read. One remark parse per
 * call (GFM and front matter: see markdown-tree.ts), then one walk over the tree; everything
 * after this works in linear passes over the blocks.
 */
import type { Nodes, Parent, RootContent, ListItem, Table, Paragraph, PhrasingContent } from 'mdast';
import type { Block } from './block-types.js';
import { parseMarkdown } from './markdown-tree.js';
import { buildBlocksByLines, LARGE_INPUT_CHARS } from './line-blocks.js';
import { type BlockDocument, type FrontMatter, finishBlocks, splitLines, stripInline } from './block-document.js';

interface WalkState {
  source: string[];
  blocks: Block[];
  headingStack: { depth: number; text: string }[];
  sawHeading: boolean;
}

interface Ctx {
  /** Inside an indented literal block that was re-read as minutes (never twice). */
  unwrapped?: boolean;
  quoted: boolean;
  depth: number;
  parentText: string | null;
  listLabel: string | null;
}

/**
 * Builds the block list of a minutes text. Never throws on text that remark accepts (any
 * string); line numbers are 1-based lines of `text`.
 */
export function buildBlocks(text: string): BlockDocument {
  if (text.length > LARGE_INPUT_CHARS) return buildBlocksByLines(text);
  const tree = parseMarkdown(text);
  const source = splitLines(text);
  const state: WalkState = { source, blocks: [], headingStack: [], sawHeading: false };
  let frontMatter: FrontMatter | null = null;
  const top: Ctx = { quoted: false, depth: 0, parentText: null, listLabel: null };
  const children = tree.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i];
    if (node.type === 'yaml') {
      if (i === 0 && node.position) {
        frontMatter = { text: node.value, line: node.position.start.line, endLine: node.position.end.line };
      }
      continue;
    }
    walk(node, state, top, children[i - 1]);
  }
  return finishBlocks(state.blocks, frontMatter, source.length, !state.sawHeading);
}

function walk(node: RootContent, state: WalkState, ctx: Ctx, prev: RootContent | undefined): void {
  switch (node.type) {
    case 'heading': {
      state.sawHeading = true;
      const text = inlineText(node.children).replace(/\s+/g, ' ').trim();
      const b = makeBlock(state, 'heading', node, text, ctx, node.depth);
      if (!b) return;
      while (state.headingStack.length && state.headingStack[state.headingStack.length - 1].depth >= node.depth) state.headingStack.pop();
      b.headings = state.headingStack.map((h) => h.text);
      state.headingStack.push({ depth: node.depth, text });
      b.lines = [{ line: b.line, text, raw: state.source[b.line - 1] ?? '' }];
      state.blocks.push(b);
      return;
    }
    case 'paragraph': {
      const b = makeBlock(state, 'paragraph', node, '', ctx, 0);
      if (!b) return;
      b.lines = paragraphLines(node, state.source);
      b.text = b.lines.map((l) => l.text).join('\n').trim();
      b.struck = isStruck(node.children);
      if (!b.text) return;
      if (b.lines.length === 2 && RST_UNDERLINE.test(b.lines[1].raw) && b.lines[0].text.length <= 120) {
        // reStructuredText title: "Title\n#####"
        state.sawHeading = true;
        b.kind = 'heading';
        b.depth = 1;
        b.text = b.lines[0].text;
        b.lines = [b.lines[0]];
        b.endLine = b.line + 1;
        while (state.headingStack.length) state.headingStack.pop();
        state.headingStack.push({ depth: 1, text: b.text });
        state.blocks.push(b);
        return;
      }
      pushParagraph(b, state);
      return;
    }
    case 'code': {
      if (!ctx.unwrapped && node.position && isLiteralMinutes(node.value, node.position.start.line, prev, state.source)) {
        // An rst `::` literal block or a 4-space-indented paste holding MeetBot/IRC minutes:
        // read its content as the minutes it is, with lines mapped back to the file.
        const sub = parseMarkdown(node.value);
        shiftLines(sub, node.position.start.line - 1);
        const inner: Ctx = { ...ctx, unwrapped: true };
        sub.children.forEach((c, i) => walk(c, state, inner, sub.children[i - 1]));
        return;
      }
      const b = makeBlock(state, 'code', node, node.value, ctx, 0);
      if (!b) return;
      b.lines = [];
      for (let l = b.line; l <= b.endLine; l++) b.lines.push({ line: l, text: state.source[l - 1] ?? '', raw: state.source[l - 1] ?? '' });
      state.blocks.push(b);
      return;
    }
    case 'blockquote': {
      const inner: Ctx = { ...ctx, quoted: true };
      node.children.forEach((c, i) => walk(c, state, inner, node.children[i - 1]));
      return;
    }
    case 'list': {
      const label = prev && prev.type === 'paragraph' ? inlineText(prev.children).trim() : ctx.listLabel;
      for (const item of node.children) walkItem(item, state, { ...ctx, listLabel: label });
      return;
    }
    case 'table':
      walkTable(node, state, ctx);
      return;
    case 'html': {
      // Raw HTML blocks: keep their words (Confluence exports), never their tags.
      const text = node.value.replace(/<[^>]*>/g, ' ').replace(/[ \t]+/g, ' ').trim();
      if (!text) return;
      const b = makeBlock(state, 'paragraph', node, text, ctx, 0);
      if (!b) return;
      b.lines = rawLines(state.source, b.line, b.endLine);
      state.blocks.push(b);
      return;
    }
    case 'footnoteDefinition':
      node.children.forEach((c, i) => walk(c, state, ctx, node.children[i - 1]));
      return;
    default:
      return; // thematicBreak, definition, yaml not at the top: nothing to read
  }
}

const RST_UNDERLINE = /^\s*([#=~*^+`'"-])\1{2,}\s*$/;
const MINUTES_MARKERS = /^\s*(?:[*-]\s+)?(?:ACTION(?: ITEM)?:|AGREED:|TOPIC:|Meeting summary\b|Meeting started\b|People present\b|Action Items\b)/m;

function isLiteralMinutes(value: string, line: number, prev: RootContent | undefined, source: string[]): boolean {
  if (/^\s{0,3}(```|~~~)/.test(source[line - 1] ?? '')) return false; // fenced: real code
  if (prev && prev.type === 'paragraph' && /::\s*$/.test(inlineText(prev.children)) && MINUTES_MARKERS.test(value)) return true;
  return MINUTES_MARKERS.test(value) && value.split('\n').length >= 10;
}

function shiftLines(node: Nodes, by: number): void {
  if (node.position) {
    node.position.start.line += by;
    node.position.end.line += by;
  }
  if ('children' in node) for (const c of (node as Parent).children) shiftLines(c as Nodes, by);
}

function walkItem(item: ListItem, state: WalkState, ctx: Ctx): void {
  const own = item.children.filter((c): c is Paragraph => c.type === 'paragraph');
  let text = '';
  let lines: Block['lines'] = [];
  for (const p of own) {
    const pl = paragraphLines(p, state.source);
    lines = lines.concat(pl);
  }
  text = lines.map((l) => l.text).join('\n').trim();
  const pos = item.position;
  if (pos && (text || item.checked != null)) {
    const first = own[0]?.position;
    const endLine = own.length ? own[own.length - 1].position?.end.line ?? pos.start.line : pos.start.line;
    if (lines.length && first && first.start.line === pos.start.line) {
      // The first line's raw text keeps the list marker (`- [ ] `, `* **Action:**`).
      lines[0] = { ...lines[0], raw: state.source[pos.start.line - 1] ?? lines[0].raw };
    }
    const startLine = pos.start.line;
    const b: Block = {
      kind: 'listItem',
      text,
      raw: rawSlice(state.source, startLine, Math.max(endLine, startLine)),
      line: startLine,
      endLine: Math.max(endLine, startLine),
      depth: ctx.depth,
      checked: item.checked ?? null,
      struck: own.length > 0 && own.every((p) => isStruck(p.children)),
      quoted: ctx.quoted,
      headings: state.headingStack.map((h) => h.text),
      topic: null,
      parentText: ctx.parentText,
      listLabel: ctx.listLabel,
      lines: lines.length ? lines : [{ line: startLine, text: '', raw: state.source[startLine - 1] ?? '' }],
    };
    state.blocks.push(b);
  }
  const inner: Ctx = { quoted: ctx.quoted, depth: ctx.depth + 1, parentText: text || ctx.parentText, listLabel: text || null };
  item.children.forEach((c, i) => {
    if (c.type === 'paragraph') return;
    if (c.type === 'list') walk(c, state, inner, undefined);
    else walk(c, state, { ...inner, listLabel: ctx.listLabel }, item.children[i - 1]);
  });
}

function walkTable(table: Table, state: WalkState, ctx: Ctx): void {
  const [head, ...rows] = table.children;
  if (!head) return;
  const header = head.children.map((c) => inlineText(c.children).trim());
  for (const row of rows) {
    const cells = row.children.map((c) => inlineText(c.children).trim());
    const b = makeBlock(state, 'tableRow', row, cells.join(' | '), ctx, 0);
    if (!b) continue;
    b.cells = cells;
    b.header = header;
    b.struck = row.children.length > 0 && row.children.every((c) => c.children.length === 0 || isStruck(c.children));
    b.lines = [{ line: b.line, text: b.text, raw: state.source[b.line - 1] ?? '' }];
    state.blocks.push(b);
  }
}

function makeBlock(state: WalkState, kind: Block['kind'], node: Nodes, text: string, ctx: Ctx, depth: number): Block | null {
  const pos = node.position;
  if (!pos) return null;
  const line = pos.start.line;
  const endLine = Math.max(line, pos.end.line);
  return {
    kind,
    text,
    raw: rawSlice(state.source, line, endLine),
    line,
    endLine,
    depth,
    checked: null,
    struck: false,
    quoted: ctx.quoted,
    headings: state.headingStack.map((h) => h.text),
    topic: null,
    parentText: ctx.depth > 0 ? ctx.parentText : null,
    listLabel: null,
    lines: [],
  };
}

function rawSlice(source: string[], line: number, endLine: number): string {
  return source.slice(line - 1, endLine).join('\n');
}

function rawLines(source: string[], line: number, endLine: number): Block['lines'] {
  const out: Block['lines'] = [];
  for (let l = line; l <= endLine; l++) out.push({ line: l, text: stripInline(source[l - 1] ?? ''), raw: source[l - 1] ?? '' });
  return out;
}

/** Plain text of inline content: link text kept, URLs, emphasis and code ticks dropped. */
export function inlineText(nodes: PhrasingContent[] | RootContent[]): string {
  let out = '';
  for (const n of nodes as Nodes[]) {
    switch (n.type) {
      case 'text':
      case 'inlineCode':
        out += n.value;
        break;
      case 'break':
        out += '\n';
        break;
      case 'image':
        out += n.alt ?? '';
        break;
      case 'html':
        // Keep the line structure of inline HTML (<br>, comments) without its markup.
        out += n.value.replace(/<[^>]*>/g, '').replace(/[^\n]/g, '');
        break;
      default:
        if ('children' in n) out += inlineText((n as Parent).children as PhrasingContent[]);
    }
  }
  return out;
}

/** Per-source-line plain text of a paragraph; falls back to stripping the raw line. */
function paragraphLines(p: Paragraph, source: string[]): Block['lines'] {
  const pos = p.position;
  if (!pos) return [];
  const start = pos.start.line;
  const end = Math.max(start, pos.end.line);
  const plain = inlineText(p.children).split('\n');
  const out: Block['lines'] = [];
  const aligned = plain.length === end - start + 1;
  for (let l = start; l <= end; l++) {
    const raw = source[l - 1] ?? '';
    out.push({ line: l, text: (aligned ? plain[l - start] : stripInline(raw)).trim(), raw });
  }
  return out;
}

/** True when every visible character is inside `~~...~~`. */
function isStruck(nodes: PhrasingContent[]): boolean {
  // Most lines hold no strike-through at all: answer that without looking at any text.
  if (!hasDelete(nodes)) return false;
  let struck = false;
  let plain = false;
  const visit = (ns: PhrasingContent[], inDelete: boolean): void => {
    for (const n of ns) {
      if (plain) return;
      if (n.type === 'delete') visit(n.children, true);
      else if ('children' in n) visit(n.children as PhrasingContent[], inDelete);
      else if ('value' in n && n.type !== 'html' && /\S/.test(n.value)) {
        if (inDelete) struck = true;
        else plain = true;
      }
    }
  };
  visit(nodes, false);
  return struck && !plain;
}

function hasDelete(nodes: PhrasingContent[]): boolean {
  for (const n of nodes) {
    if (n.type === 'delete') return true;
    if ('children' in n && hasDelete(n.children as PhrasingContent[])) return true;
  }
  return false;
}

const BULLET_LINE = /^(\s*)[•◦▪‣●○∙·]\s+(.*)$/;

/**
 * Plain text pasted from a wiki keeps `•` bullets as characters: one paragraph holds a whole
 * list. Each bullet becomes its own list item (depth from indentation) so items keep their lines.
 */
function pushParagraph(b: Block, state: WalkState): void {
  if (!b.lines.some((l) => BULLET_LINE.test(l.raw))) {
    state.blocks.push(b);
    return;
  }
  const indents = [...new Set(b.lines.filter((l) => BULLET_LINE.test(l.raw)).map((l) => BULLET_LINE.exec(l.raw)![1].length))].sort((a, c) => a - c);
  let lead: Block['lines'] = [];
  let current: Block | null = null;
  const parents: (Block | null)[] = [];
  const flush = (): void => {
    if (current) {
      current.text = current.lines.map((l) => l.text).join('\n').trim();
      current.raw = current.lines.map((l) => l.raw).join('\n');
      current.endLine = current.lines[current.lines.length - 1].line;
      state.blocks.push(current);
    }
  };
  for (const l of b.lines) {
    const m = BULLET_LINE.exec(l.raw);
    if (!m) {
      if (current) current.lines.push(l);
      else lead.push(l);
      continue;
    }
    if (!current && lead.length) {
      state.blocks.push({ ...b, lines: lead, text: lead.map((x) => x.text).join('\n').trim(), raw: lead.map((x) => x.raw).join('\n'), endLine: lead[lead.length - 1].line });
      lead = [];
    }
    flush();
    const depth = Math.max(0, indents.indexOf(m[1].length));
    parents.length = depth;
    const parent = depth > 0 ? parents[depth - 1] ?? null : null;
    const text = l.text.replace(/^[•◦▪‣●○∙·]\s+/, '');
    current = {
      ...b,
      kind: 'listItem',
      text,
      line: l.line,
      endLine: l.line,
      depth,
      parentText: parent ? parent.text : null,
      listLabel: parent ? parent.text : null,
      lines: [{ line: l.line, text, raw: l.raw }],
    };
    parents[depth] = current;
  }
  flush();
}
