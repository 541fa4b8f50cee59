/**
 * Corrections through the API (issue 12): sent with an upload, stored, kept by later revisions
 * of the same minutes wherever their items move, overridden when the text changes the item;
 * action edits and drops after saving follow the same rule. Real app, real SQLite, real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Browser, type TestServer } from './http-support.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  await s.world.services.people.create({ name: 'Dana Ruiz', email: 'dana@example.org' });
  browser = (await s.personWithRole('member', 'Mo Member')).browser;
});
afterAll(() => s.close());

/** The minutes; `pad` lines after the attendees shift every item down. */
const minutes = (pad: number, o: { guide?: string; venue?: string; tag?: string } = {}) => `# Community call 2024-03-07

Attendees: Ann Lee, Bob Stone, Cleo Park
${Array.from({ length: pad }, (_, i) => `\nNote ${i + 1} of the preamble.`).join('')}
## Release

ACTION: ${o.tag ?? 'Bob to tag the release'}
ACTION: ${o.guide ?? 'update the contributor guide'}
ACTION: Cleo to fix the docs build by 2024-03-20
ACTION: ${o.venue ?? 'Ann to book the venue'}
ACTION: Bob to email the sponsors
DECISION: ship 2.0 in April
DECISION: drop Python 3.7 support

Ann will look into the flaky CI job.
Bob will check the budget numbers with the treasurer.
`;

/** The 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

interface Note {
  kind: string;
  text: string;
  what: string;
  detail?: string;
}
interface Result {
  status: string;
  meeting: { id: number; revision: number };
  actions: { id: number; text: string; owners: { name: string; personId: number | null }[]; due: string | null; status: string; line: number }[];
  decisions: { id: number; text: string; line: number }[];
  changes: Record<string, { id: number; text: string }[]> & { corrections: { kept: Note[]; overridden: Note[] } };
  correctionsApplied?: Note[];
}

const upload = async (text: string, corrections?: unknown, query = '') => {
  const res = await s.api('notetaker', `/api/meetings?series=corr${query}`, { method: 'POST', json: corrections === undefined ? { text } : { text, corrections } });
  return { res, body: (await res.json()) as Result & { error?: { code: string; message: string; details?: unknown } } };
};
const action = (r: Result, words: string) => r.actions.find((a) => a.text.includes(words));
const notes = (xs: Note[]) => xs.map((n) => `${n.kind} ${n.what} ${n.text}`).sort();

/** The meeting page's line anchor for an item: the rendered minutes' `id="L<line>"` holding `text`, and the item's link to it. */
async function expectAnchor(meetingId: number, line: number, text: string) {
  const { html } = await browser.get(`/meetings/${meetingId}`);
  const at = html.indexOf(`id="L${line}"`);
  expect(at, `no id="L${line}" on the meeting page`).toBeGreaterThan(0);
  expect(html.slice(at, at + 300)).toContain(text);
  expect(html).toContain(`href="#L${line}">line ${line}</a>`);
}

describe('corrections through POST /api/meetings', () => {
  let meetingId = 0;
  const v1 = minutes(0);
  const v2 = minutes(3, { guide: 'Ann to update the contributor guide', venue: 'Ann to book the venue and the catering' });

  it('applies owners (directory, new name, group), due, text, drops, a decision drop and suggestion promote/drop, and reports them', async () => {
    const { res, body } = await upload(v1, {
      actions: [
        { line: lineOf(v1, 'contributor guide'), was: 'update the contributor guide', owners: ['Dana Ruiz'] },
        { line: lineOf(v1, 'tag the release'), owners: ['Zed Newcomer'] },
        { line: lineOf(v1, 'book the venue'), owners: ['infra team'], due: '2024-04-01' },
        { line: lineOf(v1, 'docs build'), text: 'fix the docs build on CI' },
        { line: lineOf(v1, 'email the sponsors'), drop: true },
      ],
      decisions: [{ line: lineOf(v1, 'Python 3.7'), drop: true }],
      suggestions: [
        { line: lineOf(v1, 'flaky CI'), op: 'promote' },
        { line: lineOf(v1, 'budget numbers'), op: 'drop' },
      ],
    });
    expect(res.status, JSON.stringify(body)).toBe(201);
    meetingId = body.meeting.id;
    expect(action(body, 'contributor guide')!.owners).toEqual([expect.objectContaining({ name: 'Dana Ruiz', personId: expect.any(Number) })]);
    expect(action(body, 'tag the release')!.owners.map((o) => o.name)).toEqual(['Zed Newcomer']);
    expect(action(body, 'book the venue')).toMatchObject({ due: '2024-04-01', owners: [expect.objectContaining({ name: 'infra team' })] });
    expect(action(body, 'docs build')!.text).toBe('fix the docs build on CI');
    expect(action(body, 'email the sponsors')).toBeUndefined();
    expect(action(body, 'flaky CI job')).toBeDefined();
    expect(body.decisions.map((d) => d.text)).toEqual(['ship 2.0 in April']);
    expect(notes(body.correctionsApplied ?? [])).toEqual(
      notes([
        { kind: 'action', what: 'owners', text: 'update the contributor guide' },
        { kind: 'action', what: 'owners', text: 'tag the release' },
        { kind: 'action', what: 'owners', text: 'book the venue' },
        { kind: 'action', what: 'due', text: 'book the venue' },
        { kind: 'action', what: 'text', text: 'fix the docs build by 2024-03-20' },
        { kind: 'action', what: 'drop', text: 'email the sponsors' },
        { kind: 'decision', what: 'drop', text: 'drop Python 3.7 support' },
        { kind: 'suggestion', what: 'promote', text: 'will look into the flaky CI job' },
        { kind: 'suggestion', what: 'drop', text: 'will check the budget numbers with the treasurer' },
      ]),
    );
    // The dropped suggestion is not in the review queue; the promoted one is accepted.
    const queue = (await (await s.api('member', '/api/review')).json()) as { items: { data: { text: string } }[] };
    expect(queue.items.some((i) => /budget numbers|flaky CI/.test(i.data.text))).toBe(false);
  });

  it('a revision that shifts every line keeps the corrections at the new lines and overrides those whose item changed', async () => {
    const { res, body } = await upload(v2);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('revised');
    // Kept: applied where the items now sit.
    const tag = action(body, 'tag the release')!;
    expect(tag.owners.map((o) => o.name)).toEqual(['Zed Newcomer']);
    expect(tag.line).toBe(lineOf(v2, 'tag the release'));
    const docs = action(body, 'docs build')!;
    expect(docs).toMatchObject({ text: 'fix the docs build on CI', line: lineOf(v2, 'docs build') });
    expect(action(body, 'email the sponsors')).toBeUndefined();
    expect(action(body, 'flaky CI job')).toBeDefined();
    expect(body.decisions).toEqual([expect.objectContaining({ text: 'ship 2.0 in April', line: lineOf(v2, 'ship 2.0') })]);
    // Overridden: the minutes now name an owner for the guide, and reword the venue item.
    expect(action(body, 'contributor guide')!.owners.map((o) => o.name)).toEqual(['Ann Lee']);
    const venue = action(body, 'book the venue and the catering')!;
    expect(venue).toMatchObject({ due: null, owners: [expect.objectContaining({ name: 'Ann Lee' })] });
    const c = body.changes.corrections;
    expect(notes(c.kept)).toEqual(
      notes([
        { kind: 'action', what: 'owners', text: 'tag the release' },
        { kind: 'action', what: 'text', text: 'fix the docs build by 2024-03-20' },
        { kind: 'action', what: 'drop', text: 'email the sponsors' },
        { kind: 'decision', what: 'drop', text: 'drop Python 3.7 support' },
        { kind: 'suggestion', what: 'promote', text: 'will look into the flaky CI job' },
        { kind: 'suggestion', what: 'drop', text: 'will check the budget numbers with the treasurer' },
      ]),
    );
    expect(notes(c.overridden)).toEqual(
      notes([
        { kind: 'action', what: 'owners', text: 'update the contributor guide' },
        { kind: 'action', what: 'owners', text: 'book the venue and the catering' },
        { kind: 'action', what: 'due', text: 'book the venue and the catering' },
      ]),
    );
    expect(c.overridden.find((n) => n.what === 'owners' && /guide/.test(n.text))!.detail).toMatch(/now say Ann/);
    // The venue action is the same action, changed; its history says the minutes overrode the correction.
    expect(body.changes.changed.map((x) => x.text)).toEqual(expect.arrayContaining(['book the venue and the catering']));
    const hist = (await (await s.api('member', `/api/actions/${venue.id}`)).json()) as { events: { kind: string; actor: { source: string }; data: Record<string, unknown> | null }[] };
    const edited = hist.events.filter((e) => e.kind === 'edited' && e.actor.source === 'import').at(-1)!;
    expect(edited.data).toMatchObject({ overrides: ['owners', 'due'], after: { text: 'book the venue and the catering', due: null } });
    // The meeting page anchors every kept item at its new line.
    await expectAnchor(meetingId, tag.line, 'tag the release');
    await expectAnchor(meetingId, docs.line, 'docs build');
    await expectAnchor(meetingId, lineOf(v2, 'ship 2.0'), 'ship 2.0 in April');
    // The same text again: unchanged, nothing re-applied.
    expect((await upload(v2)).body.status).toBe('unchanged');
  });

  it('a web edit survives a re-upload of the same text shifted; a person-dropped action stays dropped', async () => {
    const before = (await (await s.api('member', `/api/meetings/${meetingId}`)).json()) as { actions: { id: number; text: string }[] };
    const tag = before.actions.find((a) => a.text === 'tag the release')!;
    const docs = before.actions.find((a) => a.text === 'fix the docs build on CI')!;
    const patched = await s.api('notetaker', `/api/actions/${tag.id}`, { method: 'PATCH', json: { due: '2024-05-01', owners: ['Bob Stone', 'Dana Ruiz'] } });
    expect(patched.status).toBe(200);
    expect((await s.api('member', `/api/actions/${docs.id}/drop`, { method: 'POST', json: {} })).status).toBe(403);
    const dropped = await s.api('notetaker', `/api/actions/${docs.id}/drop`, { method: 'POST', json: { note: 'done elsewhere' } });
    expect(dropped.status).toBe(200);
    expect(((await dropped.json()) as { status: string }).status).toBe('dropped');

    const v3 = minutes(5, { guide: 'Ann to update the contributor guide', venue: 'Ann to book the venue and the catering' });
    const { body } = await upload(v3);
    expect(body.status).toBe('revised');
    const t = action(body, 'tag the release')!;
    expect(t).toMatchObject({ id: tag.id, due: '2024-05-01', line: lineOf(v3, 'tag the release') });
    expect(t.owners.map((o) => o.name)).toEqual(['Bob Stone', 'Dana Ruiz']);
    const stored = (await (await s.api('member', `/api/actions/${docs.id}`)).json()) as { status: string; events: { kind: string }[] };
    expect(stored.status).toBe('dropped');
    expect(stored.events.at(-1)!.kind).toBe('dropped'); // not reopened by the import
    expect(notes(body.changes.corrections.kept)).toEqual(
      expect.arrayContaining(notes([
        { kind: 'action', what: 'due', text: 'tag the release' },
        { kind: 'action', what: 'owners', text: 'tag the release' },
        { kind: 'action', what: 'drop', text: 'fix the docs build by 2024-03-20' },
      ])),
    );
    expect(body.changes.corrections.overridden).toEqual([]);
    expect(body.changes.removed).toEqual([]);

    // The minutes now give the release tag a due date themselves: the web edit is overridden.
    const v4 = minutes(5, { guide: 'Ann to update the contributor guide', venue: 'Ann to book the venue and the catering', tag: 'Bob to tag the release by 2024-06-01' });
    const r4 = (await upload(v4)).body;
    const t4 = action(r4, 'tag the release')!;
    expect(t4).toMatchObject({ id: tag.id, due: '2024-06-01', owners: [expect.objectContaining({ name: 'Bob Stone' })] });
    expect(notes(r4.changes.corrections.overridden)).toEqual(
      notes([
        { kind: 'action', what: 'due', text: 'tag the release by 2024-06-01' },
        { kind: 'action', what: 'owners', text: 'tag the release by 2024-06-01' },
      ]),
    );
  });

  it('refuses corrections naming no item (422, kind and line) and malformed ones (400, the field), storing nothing', async () => {
    const text = minutes(0).replace('2024-03-07', '2024-04-04');
    const miss = await upload(text, { actions: [{ line: 3, owners: ['Ann Lee'] }] });
    expect(miss.res.status).toBe(422);
    expect(miss.body.error!.code).toBe('correction-unmatched');
    expect(miss.body.error!.message).toMatch(/action correction for line 3/);
    const wrongWas = await upload(text, { decisions: [{ line: lineOf(text, 'ship 2.0'), was: 'something else', drop: true }] });
    expect(wrongWas.res.status).toBe(422);
    expect(wrongWas.body.error!.message).toMatch(/decision correction for line 12/);
    const bad = await upload(text, { actions: [{ line: 7, due: '2024-02-30' }] });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'bad-corrections', message: 'corrections.actions[0].due must be a calendar date YYYY-MM-DD' });
    const zero = await upload(text, { suggestions: [{ line: 0, op: 'keep' }] });
    expect(zero.body.error!.message).toBe('corrections.suggestions[0].line must be a line number (1 or more)');
    const many = await upload(text, { actions: Array.from({ length: 501 }, () => ({ line: 7 })) });
    expect(many.body.error!.message).toMatch(/corrections.actions must hold at most 500/);
    const long = await upload(text, { actions: [{ line: 7, owners: ['x'.repeat(201)] }] });
    expect(long.body.error!.message).toMatch(/corrections.actions\[0\].owners\[0\] must be at most 200 characters/);
    for (const r of [miss, wrongWas, bad, zero, many, long]) expect(JSON.stringify(r.body)).not.toMatch(/invalid_type|Invalid input|too_big/);
    const list = (await (await s.api('member', '/api/meetings?from=2024-04-04&to=2024-04-04')).json()) as { meetings: unknown[] };
    expect(list.meetings).toEqual([]);
  });

  it('takes corrections as a multipart field holding JSON; a dry run shows what would be stored and stores nothing', async () => {
    const text = minutes(0).replace('2024-03-07', '2024-05-02');
    const form = () => {
      const f = new FormData();
      f.set('file', new Blob([text], { type: 'text/markdown' }), 'call.md');
      f.set('corrections', JSON.stringify({ actions: [{ line: lineOf(text, 'contributor guide'), owners: ['Dana Ruiz'] }] }));
      return f;
    };
    const dry = await s.api('notetaker', '/api/meetings?series=corr&dry_run=1', { method: 'POST', body: form() });
    const d = (await dry.json()) as Result;
    expect(dry.status).toBe(200);
    expect(d.correctionsApplied).toEqual([{ kind: 'action', text: 'update the contributor guide', what: 'owners', detail: 'Dana Ruiz' }]);
    expect(((await (await s.api('member', '/api/meetings?from=2024-05-02&to=2024-05-02')).json()) as { meetings: unknown[] }).meetings).toEqual([]);
    const real = await s.api('notetaker', '/api/meetings?series=corr', { method: 'POST', body: form() });
    expect(real.status).toBe(201);
    expect(action((await real.json()) as Result, 'contributor guide')!.owners.map((o) => o.name)).toEqual(['Dana Ruiz']);
    const f = new FormData();
    f.set('file', new Blob([text], { type: 'text/markdown' }), 'call.md');
    f.set('corrections', '{not json');
    const bad = await s.api('notetaker', '/api/meetings?series=corr', { method: 'POST', body: f });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/the form field 'corrections' is not JSON/);
  });

  it('the same text sent again with new corrections is a revision applying them; without corrections it is unchanged', async () => {
    const text = minutes(0).replace('2024-03-07', '2024-05-02');
    const again = await upload(text, { actions: [{ line: lineOf(text, 'tag the release'), due: '2024-07-01' }] });
    expect(again.body.status).toBe('revised');
    expect(action(again.body, 'tag the release')!.due).toBe('2024-07-01');
    // The owner sent with the first upload is still kept.
    expect(notes(again.body.changes.corrections.kept)).toEqual([expect.stringMatching(/^action owners update the contributor guide$/)]);
    const plain = await upload(text);
    expect(plain.body.status).toBe('unchanged');
    expect(action(plain.body, 'tag the release')!.due).toBe('2024-07-01');
    expect(action(plain.body, 'contributor guide')!.owners.map((o) => o.name)).toEqual(['Dana Ruiz']);
  });

  it('a revision preview shows a kept text correction; a correction naming the item by that text finds it, a stale text is refused', async () => {
    const v1 = minutes(0).replace('2024-03-07', '2024-06-06');
    const first = await upload(v1, { actions: [{ line: lineOf(v1, 'email the sponsors'), was: 'email the sponsors', text: 'email the three sponsors' }] });
    expect(first.res.status, JSON.stringify(first.body)).toBe(201);
    // The next revision's form shows the corrected text and sends it back as `was`.
    const v2 = minutes(3).replace('2024-03-07', '2024-06-06');
    const line = lineOf(v2, 'email the sponsors');
    const stale = await upload(v2, { actions: [{ line, was: 'email the four sponsors', due: '2024-07-01' }] });
    expect(stale.res.status).toBe(422);
    expect(stale.body.error!.code).toBe('correction-unmatched');
    const ok = await upload(v2, { actions: [{ line, was: 'email the three sponsors', due: '2024-07-01' }] });
    expect(ok.res.status, JSON.stringify(ok.body)).toBe(200);
    const a = action(ok.body, 'three sponsors')!;
    expect([a.due, a.line]).toEqual(['2024-07-01', line]);
  });

  it('the action page drops an action (note-takers only), and the same minutes uploaded again keep it dropped', async () => {
    const text = minutes(0).replace('2024-03-07', '2024-07-04');
    const first = await upload(text);
    const venue = action(first.body, 'book the venue')!;
    const page = await browser.get(`/actions/${venue.id}`);
    expect(page.html).not.toContain(`action="/actions/${venue.id}/drop"`); // a member: no button
    expect((await browser.post(`/actions/${venue.id}/drop`, {})).res.status).toBe(403);
    const { browser: nora } = await s.personWithRole('notetaker', 'Nora Dropper');
    expect((await nora.get(`/actions/${venue.id}`)).html).toContain(`action="/actions/${venue.id}/drop"`);
    const done = await nora.post(`/actions/${venue.id}/drop`, {});
    expect(done.res.status).toBe(303);
    expect((await nora.get(`/actions/${venue.id}`)).html).toContain(`Action #${venue.id} dropped; uploading the same minutes again keeps it dropped.`);
    const again = await upload(minutes(2).replace('2024-03-07', '2024-07-04'));
    expect(again.body.status).toBe('revised');
    expect((await s.world.services.actions.get(venue.id)).status).toBe('dropped');
    // It was carried from an earlier meeting of the series: the drop is kept, and said so.
    expect(notes(again.body.changes.corrections.kept)).toEqual(expect.arrayContaining([expect.stringMatching(/^action drop .*book the venue/)]));
  });

  it('a first edit of owners (no correction stored yet) is kept by a re-upload, not taken for the minutes changing them', async () => {
    const v1 = minutes(0).replace('2024-03-07', '2024-08-01');
    // A series of its own: nothing carried over from the other tests' meetings.
    const first = await upload(v1, undefined, '-owners');
    const tag = action(first.body, 'tag the release')!;
    expect((await s.api('notetaker', `/api/actions/${tag.id}`, { method: 'PATCH', json: { owners: ['Dana Ruiz'] } })).status).toBe(200);
    const again = await upload(minutes(2).replace('2024-03-07', '2024-08-01'), undefined, '-owners');
    expect(action(again.body, 'tag the release')!.owners.map((o) => o.name)).toEqual(['Dana Ruiz']);
    expect(notes(again.body.changes.corrections.kept)).toContain('action owners tag the release');
    expect(again.body.changes.corrections.overridden).toEqual([]);
  });
});
