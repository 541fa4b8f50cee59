/**
 * The block reader for very large inputs (over LARGE_INPUT_CHARS): one pass over the lines
 * with a CommonMark subset (ATX/setext headings, nested lists and task items, fenced code,
 * block quotes, pipe tables, paragraphs, front matter). remark runs at well under 1 MB/s on
 * list-heavy text, so a 2 MB input would blow the 2 s budget; real minutes (the largest corpus
 * file is 120 KB) always go through remark.
 */
import type { Block } from './block-types.js';
import { finishBlocks, splitLines, stripInline, type BlockDocument, type FrontMatter } from './block-document.js';

/** Inputs longer than this (in characters) are read line by line instead of through remark. */
export const LARGE_INPUT_CHARS = 256 * 1024;

const ATX = /^\s{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^\s{0,3}(=+|-+)[ \t]*$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(?:[ \t]+(\[[ xX]\])(?=[ \t]|$))?(?:[ \t]+(.*))?$/;
const QUOTE = /^\s{0,3}>[ \t]?(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => stripInline(c.trim()));
}

/** Builds blocks line by line; same Block model and line numbering as `buildBlocks`. */
export function buildBlocksByLines(text: string): BlockDocument {
  const source = splitLines(text);
  const blocks: Block[] = [];
  const headingStack: { depth: number; text: string }[] = [];
  let sawHeading = false;
  let start = 0;
  let frontMatter: FrontMatter | null = null;
  if (source[0] === '---') {
    const end = source.indexOf('---', 1);
    if (end > 0 && end < 500) {
      frontMatter = { text: source.slice(1, end).join('\n'), line: 1, endLine: end + 1 };
      start = end + 1;
    }
  }
  let para: { line: number; raws: string[]; quoted: boolean } | null = null;
  let item: Block | null = null;
  let lastParagraphText: string | null = null;
  const itemStack: { indent: number; text: string }[] = [];
  let table: { header: string[] } | null = null;
  let fence: { marker: string; line: number } | null = null;

  const base = (kind: Block['kind'], line: number, endLine: number, text: string, quoted = false): Block => ({
    kind,
    text,
    raw: source.slice(line - 1, endLine).join('\n'),
    line,
    endLine,
    depth: 0,
    checked: null,
    struck: false,
    quoted,
    headings: headingStack.map((h) => h.text),
    topic: null,
    parentText: null,
    listLabel: null,
    lines: [],
  });
  const flushPara = (): void => {
    if (!para) return;
    const lines = para.raws.map((raw, i) => ({ line: para!.line + i, text: stripInline(raw.replace(QUOTE, '$1')), raw }));
    const b = base('paragraph', para.line, para.line + para.raws.length - 1, lines.map((l) => l.text).join('\n').trim(), para.quoted);
    b.lines = lines;
    b.struck = lines.every((l) => /^~~.*~~$/.test(l.raw.trim()));
    if (b.text) {
      blocks.push(b);
      lastParagraphText = b.text;
    }
    para = null;
  };
  const flushItem = (): void => {
    if (!item) return;
    item.text = item.lines.map((l) => l.text).join('\n').trim();
    item.raw = item.lines.map((l) => l.raw).join('\n');
    item.endLine = item.lines[item.lines.length - 1].line;
    if (item.text || item.checked != null) blocks.push(item);
    item = null;
  };
  const endList = (): void => {
    flushItem();
    itemStack.length = 0;
  };

  for (let i = start; i < source.length; i++) {
    const raw = source[i];
    const line = i + 1;
    if (fence) {
      if (raw.trim().startsWith(fence.marker)) {
        const b = base('code', fence.line, line, source.slice(fence.line, i).join('\n'));
        for (let l = fence.line; l <= line; l++) b.lines.push({ line: l, text: source[l - 1], raw: source[l - 1] });
        blocks.push(b);
        fence = null;
      }
      continue;
    }
    if (!raw.trim()) {
      flushPara();
      flushItem();
      table = null;
      continue;
    }
    const f = FENCE.exec(raw);
    if (f) {
      flushPara();
      endList();
      fence = { marker: f[1], line };
      continue;
    }
    const h = ATX.exec(raw);
    if (h) {
      flushPara();
      endList();
      pushHeading(h[1].length, stripInline(h[2] ?? ''), line, line);
      continue;
    }
    const s = SETEXT.exec(raw);
    if (s && para && !para.quoted && !item) {
      const p = para as { line: number; raws: string[] };
      para = null;
      pushHeading(s[1][0] === '=' ? 1 : 2, p.raws.map((r) => stripInline(r)).join(' '), p.line, line);
      continue;
    }
    if (s && !para && !item && s[1][0] === '-') continue; // thematic break
    if (table) {
      if (raw.includes('|')) {
        const cells = cellsOf(raw);
        const b = base('tableRow', line, line, cells.join(' | '));
        b.cells = cells;
        b.header = table.header;
        b.lines = [{ line, text: b.text, raw }];
        blocks.push(b);
        continue;
      }
      table = null;
    }
    if (TABLE_SEP.test(raw) && raw.includes('|') && para && para.raws.length === 1 && para.raws[0].includes('|')) {
      table = { header: cellsOf(para.raws[0]) };
      para = null;
      continue;
    }
    const it = ITEM.exec(raw);
    if (it && !SETEXT.test(raw)) {
      flushPara();
      flushItem();
      const indent = it[1].replace(/\t/g, '    ').length;
      while (itemStack.length && itemStack[itemStack.length - 1].indent >= indent) itemStack.pop();
      const depth = itemStack.length;
      const text = stripInline(it[4] ?? '');
      item = base('listItem', line, line, text);
      item.depth = depth;
      item.checked = it[3] ? it[3].toLowerCase() === '[x]' : null;
      item.parentText = depth > 0 ? itemStack[depth - 1].text : null;
      item.listLabel = depth > 0 ? itemStack[depth - 1].text : lastParagraphText;
      item.struck = /^~~.*~~$/.test((it[4] ?? '').trim());
      item.lines = [{ line, text, raw }];
      itemStack.push({ indent, text });
      continue;
    }
    if (item && (/^\s/.test(raw) || !para)) {
      // Continuation (indented or lazy) of the open list item.
      item.lines.push({ line, text: stripInline(raw.trim()), raw });
      continue;
    }
    const q = QUOTE.exec(raw);
    if (para && para.quoted !== Boolean(q)) flushPara();
    if (!para) {
      if (!/^\s/.test(raw)) endList();
      para = { line, raws: [], quoted: Boolean(q) };
    }
    para.raws.push(raw);
  }
  flushPara();
  flushItem();
  if (fence) {
    const fl = (fence as { line: number }).line;
    const b = base('code', fl, source.length, source.slice(fl).join('\n'));
    blocks.push(b);
  }
  return finishBlocks(blocks, frontMatter, source.length, !sawHeading);

  function pushHeading(depth: number, text: string, line: number, endLine: number): void {
    sawHeading = true;
    while (headingStack.length && headingStack[headingStack.length - 1].depth >= depth) headingStack.pop();
    const b = base('heading', line, endLine, text);
    b.depth = depth;
    b.lines = [{ line, text, raw: source[line - 1] }];
    blocks.push(b);
    headingStack.push({ depth, text });
    lastParagraphText = null;
  }
}
