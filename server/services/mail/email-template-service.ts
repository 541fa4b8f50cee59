import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import { AppError } from '../../errors.js';

/** A rendered email: the plain-text twin is the primary design, the HTML twin is simple. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders `templates/email/<name>.{subject,text,html}.eta`. Text and subject are not
 * HTML-escaped; the HTML twin is. Every template has a `<name>.sample.json` with sample data
 * for the preview at `/dev/mail/templates` (and the test that renders them all).
 */
export function createEmailTemplateService(deps: { dir: string; baseUrl: string }) {
  const { dir, baseUrl } = deps;
  // Plain text keeps every newline the template writes; control lines end in `-%>` to drop theirs.
  const text = new Eta({ views: dir, autoEscape: false, autoTrim: false, cache: true });
  const html = new Eta({ views: dir, autoEscape: true, autoTrim: [false, 'nl'], cache: true });

  function names(): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.text.eta') && !f.startsWith('_'))
      .map((f) => f.slice(0, -'.text.eta'.length))
      .sort();
  }

  // Checked once per name: render runs once per digest, inside the reminder transaction.
  const known = new Map<string, boolean>();
  const exists = (name: string): boolean => {
    let ok = known.get(name);
    if (ok === undefined) {
      ok = /^[a-z0-9-]+$/.test(name) && existsSync(join(dir, `${name}.text.eta`));
      known.set(name, ok);
    }
    return ok;
  };

  return {
    /** Renders template `name` with `data` (plus `baseUrl`). Throws `unknown-template`. */
    render(name: string, data: Record<string, unknown>): RenderedEmail {
      if (!exists(name)) {
        throw new AppError('unknown-template', `no email template '${name}' in ${dir}`, 500);
      }
      const it = { baseUrl, wrap, ...data };
      const subject = text.render(`./${name}.subject.eta`, it).replace(/\s+/g, ' ').trim();
      const body = text.render(`./${name}.text.eta`, it).replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
      const page = html.render(`./${name}.html.eta`, it);
      return { subject, text: body, html: page };
    },

    /** Every template name (those with a `.text.eta`). */
    names,

    /** The sample data of template `name` (for previews). */
    sample(name: string): Record<string, unknown> {
      const file = join(dir, `${name}.sample.json`);
      if (!existsSync(file)) return {};
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    },
  };
}

/**
 * Word-wraps `text` for plain-text email: lines of at most `width` characters (the first one
 * `first` characters shorter, for a label already on it), continuation lines indented by
 * `indent`. Long words (URLs) are never broken.
 */
export function wrap(text: string, width = 72, indent = '   ', first = 0): string {
  const lines: string[] = [];
  let line = '';
  let room = width - first;
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = width - indent.length;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

export type EmailTemplateService = ReturnType<typeof createEmailTemplateService>;
