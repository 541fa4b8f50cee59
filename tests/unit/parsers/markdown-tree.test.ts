/**
 * `parseMarkdown` loads only the GFM extensions a text can use; its tree must be remark-gfm's,
 * node for node and position for position: on every real minutes file in `../shared`, on
 * documents generated from the characters each GFM construct starts from, and on one document
 * per construct (which must be recognised, so a part that is never loaded fails here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Nodes, Root } from 'mdast';
import { parseMarkdown } from '../../../parsers/markdown-tree.js';
import { sharedDir } from '../../helpers/env.js';

const remarkWithGfm = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();
const expected = (text: string) => remarkWithGfm.parse(text) as Root;

function types(node: Nodes, out: string[] = []): string[] {
  out.push(node.type + (node.type === 'listItem' && typeof node.checked === 'boolean' ? `:${node.checked}` : ''));
  if ('children' in node) for (const c of node.children) types(c, out);
  return out;
}

describe('parseMarkdown', () => {
  it('gives remark-gfm’s tree for every real minutes file in ../shared', () => {
    const files: string[] = [];
    for (const dir of ['corpus', 'dev-set', 'examples']) {
      for (const name of readdirSync(join(sharedDir, dir), { recursive: true }) as string[]) {
        if (/\.(md|txt|markdown)$/i.test(name)) files.push(join(sharedDir, dir, name));
      }
    }
    expect(files.length).toBeGreaterThan(60);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // As JSON: the trees of long minutes are large, and toEqual walks them slowly.
      expect(JSON.stringify(parseMarkdown(text)), file).toBe(JSON.stringify(expected(text)));
    }
  });

  it.each([
    ['a table with pipes', '| a | b |\n|---|---|\n| 1 | 2 |', 'table'],
    ['a one-column table without a pipe', 'a\n:-\nb', 'table'],
    ['a table whose delimiter ends in a colon', 'a\n-:', 'table'],
    ['an email', 'write to ann@example.org today', 'link'],
    ['an email written as a character reference', 'write to ann&#64;example.org today', 'link'],
    ['an email with an escaped @', 'write to ann\\@example.org today', 'link'],
    ['an email after a mention', 'ask @bob or ann@example.org', 'link'],
    ['an http URL', 'see https://example.org/x', 'link'],
    ['a www URL in capitals', 'see WWW.example.org', 'link'],
    ['strikethrough', 'it was ~~done~~ dropped', 'delete'],
    ['single-tilde strikethrough', 'it was ~done~', 'delete'],
    ['a footnote', 'a claim[^1]\n\n[^1]: the source', 'footnoteReference'],
    ['a task list item', '- [ ] Ann to write it\n- [x] Bob to test it', 'listItem:true'],
    ['front matter', '---\nseries: x\n---\n# Call', 'yaml'],
  ])('recognises %s as remark-gfm does', (_, text, type) => {
    const tree = parseMarkdown(text);
    expect(tree).toEqual(expected(text));
    expect(types(tree)).toContain(type);
  });

  it('gives remark-gfm’s tree for generated documents', () => {
    // Each GFM construct's starting characters, and lines that are almost one of them.
    const fragment = fc.constantFrom(
      'a', 'b', 'w', 'W', 'h', 'x', 'X', 'www.', 'http', 's', '://', '@', '.', ':', '/', '-', '|', '~', '[', ']', '^', '&', '#',
      '64;', 'commat;', 'amp;', ';', ' ', '\t', '\n', '\r\n', '\r', '> ', '- ', '* ', '1. ', '  ', '`', '\\', '_', '(', ')', ':-',
      '-:', '[ ]', '[x]', '[^1]', '[^1]: ', '---\n', '```\n', 'mailto:', 'xmpp:', 'ann@example.org', ' @bob', '<', '!',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(parseMarkdown(text)).toEqual(expected(text));
      }),
      { numRuns: 3000 },
    );
  });
});
