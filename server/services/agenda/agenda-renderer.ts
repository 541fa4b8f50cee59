import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import { templatesDir as defaultTemplatesDir } from '../../paths.js';
import { AppError } from '../../errors.js';
import { escapeMarkdown } from '../../../domain/markdown-text.js';

/** Escapes text for Markdown (`domain/markdown-text.ts`): it can only ever be text in the agenda. */
export const mdText = escapeMarkdown;

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `Thursday, 19 January 2017` for a `YYYY-MM-DD` date. */
export function longDate(d: string): string {
  return LONG_DATE.format(new Date(`${d}T00:00:00Z`));
}

/** `A`, `A and B`, `A, B and C`: how minutes write several owners. */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const htmlPipeline = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(rehypeStringify);

// remark is linear but not fast (~0.5 s for a 250 kB agenda of 2,000 actions): remember the
// last few results so reloading a big agenda page costs one render, not one per view.
const htmlCache = new Map<string, string>();
const HTML_CACHE_SIZE = 16;

/** Markdown to sanitized HTML (a fragment): what the page and the email show. */
export function markdownToHtml(md: string): string {
  const hit = htmlCache.get(md);
  if (hit !== undefined) return hit;
  const html = String(htmlPipeline.processSync(md));
  if (htmlCache.size >= HTML_CACHE_SIZE) htmlCache.delete(htmlCache.keys().next().value as string);
  htmlCache.set(md, html);
  return html;
}

/**
 * The editable agenda templates (`templates/agenda/*.md.eta`). Compiled templates are cached
 * and dropped when a file's modification time changes, so an edit shows on the next request
 * without a restart and an unchanged template is not re-read and re-compiled on every agenda.
 */
export function createAgendaRenderer(templatesDir = defaultTemplatesDir) {
  const eta = new Eta({
    views: join(templatesDir, 'agenda'),
    // Markdown, not HTML: escaping happens in mdText() and the HTML step sanitizes.
    autoEscape: false,
    autoTrim: false,
    cache: true,
  });
  const helpers = { md: mdText, longDate, joinNames };
  const seen = new Map<string, number>();
  const refresh = (name: string) => {
    let mtime = -1;
    try {
      mtime = statSync(join(templatesDir, 'agenda', `${name}.md.eta`)).mtimeMs;
    } catch {
      // Missing file: let Eta report it by name below.
    }
    // Only an edited file drops the compiled templates; a first render just records its time.
    const before = seen.get(name);
    if (before !== undefined && before !== mtime) eta.templatesSync.reset();
    seen.set(name, mtime);
  };
  return {
    /** Renders `templates/agenda/<name>.md.eta` with `data` plus the helpers above. */
    render(name: 'agenda' | 'skeleton', data: object): string {
      let out: string;
      refresh(name);
      try {
        out = eta.render(`./${name}.md.eta`, { ...data, h: helpers });
      } catch (err) {
        // An edited template with a mistake: say which file, not "something went wrong".
        const first = ((err as Error).message || String(err)).split('\n')[0];
        throw new AppError('template-error', `templates/agenda/${name}.md.eta: ${first}`, 500);
      }
      // Templates are edited by hand: collapse runs of blank lines they leave behind.
      return out.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
    },
  };
}

export type AgendaRenderer = ReturnType<typeof createAgendaRenderer>;
