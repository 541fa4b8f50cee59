import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import type { Element, Root, ElementContent } from 'hast';

/** An extracted item to mark in the rendered minutes. */
export interface MarkedItem {
  /** A topic gets the anchor of its line, and a tag only when it has a label (a deferral). */
  kind: 'action' | 'decision' | 'topic';
  id: number | null;
  line: number;
  /** Short label for the tag, e.g. "action #12" or "done". */
  label?: string;
}

const BLOCKS = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th', 'blockquote', 'pre']);

/** The anchor id of a line of the minutes (`#L12`). */
export const lineAnchor = (line: number) => `L${line}`;

const tagFor = (item: MarkedItem): ElementContent =>
  item.id != null
    ? {
        type: 'element',
        tagName: 'a',
        properties: { className: ['item-tag', 'badge'], href: item.kind === 'action' ? `/actions/${item.id}` : `#${lineAnchor(item.line)}` },
        children: [{ type: 'text', value: item.label ?? `${item.kind} #${item.id}` }],
      }
    : { type: 'element', tagName: 'span', properties: { className: ['item-tag', 'badge'] }, children: [{ type: 'text', value: item.label ?? item.kind }] };

/**
 * Keeps the note-taker's line breaks inside paragraphs (minutes are written line by line:
 * "ACTION: ..." under "ACTION: ..."), and wraps each line that holds an item in a span, so
 * the mark and anchor fit the line rather than the whole paragraph. Returns line -> span.
 */
function splitLines(tree: Root, itemLines: Set<number>): Map<number, Element> {
  const spans = new Map<number, Element>();
  const visit = (node: Root | Element) => {
    for (const child of node.children) if (child.type === 'element') visit(child);
    if (node.type !== 'element' || node.tagName !== 'p') return;
    const out: ElementContent[] = [];
    for (const child of node.children) {
      if (child.type !== 'text' || !child.value.includes('\n') || !child.position) {
        out.push(child);
        continue;
      }
      const parts = child.value.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) out.push({ type: 'element', tagName: 'br', properties: {}, children: [] }, { type: 'text', value: '\n' });
        const line = child.position!.start.line + i;
        if (itemLines.has(line) && !spans.has(line) && part.trim()) {
          const span: Element = { type: 'element', tagName: 'span', properties: { id: lineAnchor(line) }, children: [{ type: 'text', value: part }] };
          spans.set(line, span);
          out.push(span);
        } else if (part) out.push({ type: 'text', value: part });
      });
    }
    node.children = out;
  };
  visit(tree);
  return spans;
}

/**
 * Marks each item: the line's own span inside a multi-line paragraph, else the smallest block
 * holding the line. Adds a class, an `id` anchor (`L<line>`) and a tag linking to the item.
 * Runs after sanitising, so the attributes it adds are ours alone.
 */
function markItems(items: MarkedItem[]) {
  return () => (tree: Root) => {
    const blocks: Element[] = [];
    const walk = (node: Root | Element) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue;
        if (BLOCKS.has(child.tagName) && child.position) blocks.push(child);
        walk(child);
      }
    };
    walk(tree);
    const spans = splitLines(tree, new Set(items.map((i) => i.line)));
    for (const item of items) {
      let target = spans.get(item.line);
      if (!target) {
        let bestSpan = Infinity;
        for (const b of blocks) {
          const start = b.position!.start.line;
          const end = b.position!.end.line;
          if (start <= item.line && item.line <= end && end - start < bestSpan) {
            target = b;
            bestSpan = end - start;
          }
        }
      }
      if (!target) continue;
      const props = target.properties;
      const cls = Array.isArray(props.className) ? (props.className as string[]) : [];
      props.className = [...new Set([...cls, `item-${item.kind}`])];
      if (!props.id) props.id = lineAnchor(item.line);
      if (item.kind === 'topic' && !item.label) continue;
      // In a list item holding a nested list, put the tag before the nested list.
      const nested = target.children.findIndex((c) => c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol'));
      if (nested >= 0) target.children.splice(nested, 0, { type: 'text', value: ' ' }, tagFor(item));
      else target.children.push({ type: 'text', value: ' ' }, tagFor(item));
    }
  };
}

/**
 * Minutes Markdown to HTML that cannot run script: raw HTML in the Markdown is dropped
 * (remark-rehype without `allowDangerousHtml`), then rehype-sanitize (GitHub's schema) removes
 * anything unsafe left, such as `javascript:` links. Extracted actions and decisions are marked
 * and linked.
 */
export function renderMinutesHtml(markdown: string, items: MarkedItem[] = []): string {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkFrontmatter, ['yaml', 'toml'])
    .use(remarkRehype)
    .use(rehypeSanitize)
    .use(markItems(items))
    .use(rehypeStringify);
  const tree = processor.runSync(processor.parse(markdown));
  return processor.stringify(tree as Root);
}
