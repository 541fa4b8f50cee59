import type { AgendaRepository, AttendeeRow } from '../../db/repositories/agenda-repository.js';
import type { AgendaRenderer } from './agenda-renderer.js';
import { joinNames } from './agenda-renderer.js';
import type { AgendaQuery, AgendaService } from './agenda-service.js';

/** One line of the attendee list: names sharing an organisation, as the OpenXT minutes write them. */
export interface AttendeeLine {
  names: string[];
  org: string | null;
}

/**
 * Groups attendees by organisation in order of first appearance: `Ross Philipson, Eric
 * Chanudet; AIS Burlington`. People without an organisation get a line each.
 */
export function attendeeLines(rows: AttendeeRow[]): AttendeeLine[] {
  const lines: AttendeeLine[] = [];
  const byOrg = new Map<string, AttendeeLine>();
  const seen = new Set<string>();
  for (const r of rows) {
    const key = r.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!r.org) {
      lines.push({ names: [r.name], org: null });
      continue;
    }
    let line = byOrg.get(r.org.toLowerCase());
    if (!line) {
      line = { names: [], org: r.org };
      byOrg.set(r.org.toLowerCase(), line);
      lines.push(line);
    }
    line.names.push(r.name);
  }
  return lines;
}

/**
 * The minutes skeleton for the note-taker (`minutes agenda --skeleton`): front matter with the
 * series and date, the agenda as headings, last meeting's attendees, and every open action as
 * an `ACTION: Owner to text` line written exactly as stored, so that importing the filled-in
 * file matches each line to its open action (marking one `DONE` closes it; the rest carry).
 */
export function createSkeletonService(deps: { agenda: AgendaService; repo: AgendaRepository; renderer: AgendaRenderer }) {
  const { agenda, repo, renderer } = deps;
  return {
    /**
     * Markdown text of the skeleton for the next (or given) meeting. Async because the parser
     * (which re-reads dated actions) loads on first use: building the services never loads it.
     */
    async skeleton(q: AgendaQuery): Promise<string> {
      const model = await agenda.build(q);
      const attendees = model.lastMeeting ? attendeeLines(await repo.attendees(model.lastMeeting.id)) : [];
      // Each open action once (the agenda lists an action under each of its owners).
      const seen = new Set<number>();
      const review = model.openActions
        .flatMap((g) => g.actions)
        .filter((a) => !seen.has(a.id) && seen.add(a.id))
        .sort((a, b) => a.originMeeting.date.localeCompare(b.originMeeting.date) || a.id - b.id)
        .map((a) => ({ ...a, ownersText: joinNames(a.owners), pinDue: false }));
      await pinMisreadDues(review, model.date);
      return renderer.render('skeleton', { ...model, attendees, review });
    },
  };
}

/**
 * Reads the review lines back with the real parser, at the new meeting's date, and marks the
 * actions whose due date would come back different: "by January" written in December means
 * 2017-01-01, but read in the January minutes it means 2018. Those lines get the stored date
 * pinned after the text (`(due 2017-01-01)`), which the parser prefers over the phrase, so the
 * import does not move the due date. Every other line stays exactly as stored.
 */
async function pinMisreadDues(review: { owners: string[]; ownersText: string; text: string; due: string | null; pinDue: boolean }[], date: string): Promise<void> {
  // Only an action with a due date can have it moved; the others need no check.
  const dated = review.filter((a) => a.due !== null);
  if (dated.length === 0) return;
  const head = ['---', `date: ${date}`, '---', '', '# Review', ''];
  const body = dated.map((a) => `ACTION: ${a.ownersText} to ${a.text}`).join('\n\n');
  const { parseMinutes } = await import('../../../parsers/index.js');
  const parsed = parseMinutes(`${head.join('\n')}\n${body}\n`);
  const byLine = new Map(parsed.actions.map((p) => [p.line, p]));
  dated.forEach((a, i) => {
    const p = byLine.get(head.length + 1 + 2 * i);
    if (p && p.due !== a.due) a.pinDue = true;
  });
}

export type SkeletonService = ReturnType<typeof createSkeletonService>;
