/**
 * The remark parse of a minutes text: remark-parse + GitHub Flavored Markdown + YAML front
 * matter, the same tree as `unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter,
 * ['yaml'])` gives (a test compares the two on real minutes and on generated Markdown).
 *
 * The difference is speed. Each GFM construct can only start from certain characters, and most
 * minutes lack some of them, yet with remark-gfm micromark tries every construct wherever it
 * could begin: an email autolink at every letter and digit, a table at every line. Those two
 * tries are more than half of a parse of minutes without links or tables. So each text is
 * parsed with only the GFM extensions whose characters it holds (a processor per combination,
 * built on first use):
 *
 * - tables: `|`, or a delimiter cell `:-` / `-:` (`a\n:-` is a one-column table);
 * - strikethrough: `~`; footnotes: `[^`; task list items: `[ ]`, `[x]`, `[X]` (or a tab or line
 *   ending between the brackets);
 * - autolink literals, three constructs apart: an email needs a letter, digit or one of
 *   `_+-.` right before an `@` (an `@name` mention does not start one), `http(s)://` needs
 *   `://`, `www.` needs `www.` (any case). The step that links URLs and emails in the tree's
 *   text nodes runs when any `@`, `://` or `www.` is present, or a character reference
 *   (`&...;`), since it reads the decoded text (`a\@b.org` and `a&#64;b.org` become links).
 *
 * micromark-extension-gfm's autolink extension is one table of constructs per character; the
 * three kinds are told apart by their construct names (`emailAutolink`, `protocolAutolink`,
 * `wwwAutolink`).
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root } from 'mdast';
import type { Construct, Extension as SyntaxExtension } from 'micromark-util-types';
import type { Extension as TreeExtension } from 'mdast-util-from-markdown';
import { combineExtensions } from 'micromark-util-combine-extensions';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';

type Parser = { parse(text: string): Root };

type AutolinkKind = 'emailAutolink' | 'protocolAutolink' | 'wwwAutolink';

/** The autolink extension with only the constructs of these kinds (by construct name), each character's in the same order. */
function autolinkOf(kinds: AutolinkKind[]): SyntaxExtension {
  const text: Record<number, Construct | Construct[]> = {};
  for (const [code, value] of Object.entries(gfmAutolinkLiteral().text ?? {})) {
    const kept = (Array.isArray(value) ? value : [value]).filter((c): c is Construct => c != null && kinds.includes(c.name as AutolinkKind));
    if (kept.length > 0) text[Number(code)] = kept.length === 1 ? kept[0] : kept;
  }
  for (const kind of kinds) {
    if (!Object.values(text).flat().some((c) => c.name === kind)) throw new Error(`micromark-extension-gfm-autolink-literal has no '${kind}' construct`);
  }
  return { text };
}

/**
 * A GFM part: when a text needs it, and what it adds. The autolink kinds share one micromark
 * extension (a character's constructs are tried in the extension's order).
 */
interface Part {
  needed(text: string): boolean;
  autolink?: AutolinkKind;
  syntax?: SyntaxExtension;
  tree?: TreeExtension;
}

const EMAIL_START = /[\w+.-]@/;
const hasProtocol = (t: string) => t.includes('://');
const WWW = /www\./i;
const CHARACTER_REFERENCE = /&[#A-Za-z]/;

/** In remark-gfm's order (micromark-extension-gfm's, then mdast-util-gfm's). */
const PARTS: Part[] = [
  { needed: (t) => EMAIL_START.test(t), autolink: 'emailAutolink' },
  { needed: hasProtocol, autolink: 'protocolAutolink' },
  { needed: (t) => WWW.test(t), autolink: 'wwwAutolink' },
  { needed: (t) => t.includes('@') || hasProtocol(t) || WWW.test(t) || CHARACTER_REFERENCE.test(t), tree: gfmAutolinkLiteralFromMarkdown() },
  { needed: (t) => t.includes('[^'), syntax: gfmFootnote(), tree: gfmFootnoteFromMarkdown() },
  // remark-gfm's default: single tildes strike through too.
  { needed: (t) => t.includes('~'), syntax: gfmStrikethrough(), tree: gfmStrikethroughFromMarkdown() },
  { needed: (t) => t.includes('|') || t.includes(':-') || t.includes('-:'), syntax: gfmTable(), tree: gfmTableFromMarkdown() },
  { needed: (t) => /\[(?:[\t\n xX]|\r\n?)\]/.test(t), syntax: gfmTaskListItem(), tree: gfmTaskListItemFromMarkdown() },
];

/** Frozen processors by the mask of parts they include; they hold no per-document state. */
const parsers = new Map<number, Parser>();

function parserFor(mask: number): Parser {
  let parser = parsers.get(mask);
  if (!parser) {
    const parts = PARTS.filter((_, i) => mask & (1 << i));
    const kinds = parts.flatMap((p) => (p.autolink ? [p.autolink] : []));
    // One extension, combined as micromark-extension-gfm combines its own (order matters).
    const syntax = combineExtensions([...(kinds.length > 0 ? [autolinkOf(kinds)] : []), ...parts.flatMap((p) => (p.syntax ? [p.syntax] : []))]);
    const trees = parts.flatMap((p) => (p.tree ? [p.tree] : []));
    parser = unified()
      .use(remarkParse)
      .use(function gfmParts(this: Processor) {
        const data = this.data();
        (data.micromarkExtensions ??= []).push(syntax);
        (data.fromMarkdownExtensions ??= []).push(trees);
      })
      .use(remarkFrontmatter, ['yaml'])
      .freeze() as unknown as Parser;
    parsers.set(mask, parser);
  }
  return parser;
}

/** The mdast tree of `text` (GFM and YAML front matter), loading only the GFM parts it can use. */
export function parseMarkdown(text: string): Root {
  let mask = 0;
  for (let i = 0; i < PARTS.length; i++) if (PARTS[i].needed(text)) mask |= 1 << i;
  return parserFor(mask).parse(text);
}
