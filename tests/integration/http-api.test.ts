import { dataDirRun } from '../helpers/data-dir-database.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';
import { AMBIGUOUS, simpleMinutes } from './http-fixtures.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const md = (body: string) => ({ method: 'POST', body, headers: { 'content-type': 'text/markdown' } });

/** Asserts the one error shape and returns the error. */
async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  return body.error;
}

describe('health', () => {
  test('GET /healthz answers without an account', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('POST /api/meetings', () => {
  test('dry run previews without storing', async () => {
    const res = await s.api('notetaker', '/api/meetings?series=dry&dry_run=1', md(simpleMinutes('2026-10-01')));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('new');
    expect(body.actions.map((a: { text: string }) => a.text)).toEqual(['write the parser tests', expect.stringContaining('review the compiler patch')]);
    expect(body.changes).toHaveProperty('added');
    const list = await (await s.api('member', '/api/meetings?series=dry')).json();
    expect(list.meetings).toEqual([]);
  });

  test('the same minutes with CRLF line ends (a browser form) and LF (a file) are one text: unchanged', async () => {
    const lf = simpleMinutes('2026-10-29');
    const first = await s.api('notetaker', '/api/meetings?series=line-ends', md(lf.replace(/\n/g, '\r\n')));
    expect(first.status).toBe(201);
    const again = await s.api('notetaker', '/api/meetings?series=line-ends', md(lf));
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('unchanged');
  });

  test('201 for a new meeting, 200 unchanged, 200 with changes for a revision', async () => {
    const first = await s.api('notetaker', '/api/meetings?series=sync', md(simpleMinutes('2026-10-08')));
    expect(first.status).toBe(201);
    const a = await first.json();
    expect(a.meeting).toMatchObject({ seriesSlug: 'sync', date: '2026-10-08', revision: 1 });
    expect(a.actions).toHaveLength(2);
    expect(a.actions.every((x: { id: number }) => Number.isInteger(x.id))).toBe(true);
    expect(a.warnings).toEqual([]);

    const again = await s.api('notetaker', '/api/meetings?series=sync', md(simpleMinutes('2026-10-08')));
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('unchanged');

    const revised = await s.api('notetaker', '/api/meetings?series=sync', md(simpleMinutes('2026-10-08', 'ACTION: Grace to book the venue\n')));
    expect(revised.status).toBe(200);
    const r = await revised.json();
    expect(r.status).toBe('revised');
    expect(r.meeting.revision).toBe(2);
    expect(r.changes.added.map((x: { text: string }) => x.text)).toEqual(['book the venue']);
    expect(r.changes.unchanged).toHaveLength(2);
  });

  test('accepts text/plain and a multipart file', async () => {
    const plain = await s.api('notetaker', '/api/meetings?series=plain', { method: 'POST', body: simpleMinutes('2026-10-15'), headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(plain.status).toBe(201);
    const form = new FormData();
    form.set('file', new Blob([simpleMinutes('2026-10-22')], { type: 'text/markdown' }), 'sync-2026-10-22.md');
    const multi = await s.api('notetaker', '/api/meetings?series=multi', { method: 'POST', body: form });
    expect(multi.status).toBe(201);
    const body = await multi.json();
    expect(body.meeting.date).toBe('2026-10-22');
  });

  test('refuses oversize, binary, non-UTF-8, empty and unknown bodies naming the problem', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024 + 10);
    const e1 = await expectError(await s.api('notetaker', '/api/meetings', md(big)), 413, 'payload-too-large');
    expect(e1.message).toMatch(/2 MB/);
    const form = new FormData();
    form.set('file', new Blob([big]), 'big.md');
    await expectError(await s.api('notetaker', '/api/meetings', { method: 'POST', body: form }), 413, 'payload-too-large');

    const latin1 = Buffer.from('# Réunion 2026-10-01\n\nACTION: José to fix it\n', 'latin1');
    const e2 = await expectError(await s.api('notetaker', '/api/meetings', { method: 'POST', body: latin1, headers: { 'content-type': 'text/markdown' } }), 415, 'bad-encoding');
    expect(e2.message).toMatch(/UTF-8/);
    const binForm = new FormData();
    binForm.set('file', new Blob([Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02])]), 'minutes.pdf');
    const e3 = await expectError(await s.api('notetaker', '/api/meetings', { method: 'POST', body: binForm }), 415, 'input-binary');
    expect(e3.message).toMatch(/minutes\.pdf/);
    await expectError(await s.api('notetaker', '/api/meetings', md('')), 400, 'input-empty');
    await expectError(await s.api('notetaker', '/api/meetings', md('   \n\n')), 400, 'input-empty');
    await expectError(await s.api('notetaker', '/api/meetings', { method: 'POST', body: '<minutes/>', headers: { 'content-type': 'application/xml' } }), 415, 'unsupported-media-type');
    // JSON is accepted ({text, corrections}); its text is refused like any other.
    await expectError(await s.api('notetaker', '/api/meetings', { method: 'POST', json: { text: '  ' } }), 400, 'input-empty');
    await expectError(await s.api('notetaker', '/api/meetings', { method: 'POST', json: { minutes: 'hi' } }), 400, 'bad-input');
    await expectError(await s.api('notetaker', '/api/meetings?dry_run=1&date=2026-13-45', md(simpleMinutes('2026-10-01'))), 400, 'bad-date');
    // Nothing of the refused uploads was stored.
    const list = await (await s.api('member', '/api/meetings?from=2026-10-01&to=2026-10-01')).json();
    expect(list.meetings).toEqual([]);
  });
});

describe('GET /api/meetings', () => {
  test('list filters by series, dates and words; one has minutes and items', async () => {
    await s.api('notetaker', '/api/meetings?series=amb', md(AMBIGUOUS));
    const list = await (await s.api('member', '/api/meetings?series=amb')).json();
    expect(list.meetings).toHaveLength(1);
    const id = list.meetings[0].id;
    expect((await (await s.api('member', '/api/meetings?q=release+notes')).json()).meetings.map((m: { id: number }) => m.id)).toContain(id);
    expect((await (await s.api('member', '/api/meetings?q=zebra')).json()).meetings).toEqual([]);
    expect((await (await s.api('member', '/api/meetings?series=amb&to=2026-11-01')).json()).meetings).toEqual([]);
    const one = await (await s.api('member', `/api/meetings/${id}`)).json();
    expect(one.text).toContain('ACTION: Rich to review');
    expect(one.attendees.map((a: { name: string }) => a.name)).toContain('Ada Lovelace');
    expect(one.decisions.map((d: { text: string }) => d.text)).toEqual(['ship 7.1 in December']);
    expect(one.actions.map((a: { line: number }) => a.line)).toEqual([11, 13]);
    expect(one.revisions).toHaveLength(1);
    await expectError(await s.api('member', '/api/meetings/99999'), 404, 'not-found');
    await expectError(await s.api('member', '/api/meetings/abc'), 400, 'bad-input');
  });
});

describe('actions API', () => {
  test('list with filters, one with history, close, reopen, patch, comment', async () => {
    await s.api('notetaker', '/api/meetings?series=acts', md(simpleMinutes('2026-09-03')));
    const all = (await (await s.api('member', '/api/actions?series=acts')).json()).actions;
    expect(all).toHaveLength(2);
    const ada = (await (await s.api('member', '/api/actions?series=acts&owner=Ada+Lovelace')).json()).actions;
    expect(ada.map((a: { text: string }) => a.text)).toEqual(['write the parser tests']);
    const id = ada[0].id;

    const closed = await s.api('notetaker', `/api/actions/${id}/close`, { method: 'POST', json: { note: 'merged' } });
    expect(closed.status).toBe(200);
    expect((await closed.json()).status).toBe('done');
    expect((await (await s.api('member', '/api/actions?series=acts&status=done')).json()).actions.map((a: { id: number }) => a.id)).toEqual([id]);
    expect((await (await s.api('notetaker', `/api/actions/${id}/reopen`, { method: 'POST' })).json()).status).toBe('open');

    const patched = await s.api('notetaker', `/api/actions/${id}`, { method: 'PATCH', json: { due: '2026-01-02', owners: ['Grace Hopper'] } });
    expect(patched.status).toBe(200);
    const p = await patched.json();
    expect(p.due).toBe('2026-01-02');
    expect(p.owners.map((o: { name: string }) => o.name)).toEqual(['Grace Hopper']);
    expect((await (await s.api('member', '/api/actions?series=acts&overdue=1')).json()).actions.map((a: { id: number }) => a.id)).toEqual([id]);

    expect((await s.api('notetaker', `/api/actions/${id}/comment`, { method: 'POST', json: { text: 'on it' } })).status).toBe(201);
    const one = await (await s.api('member', `/api/actions/${id}`)).json();
    expect(one.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'closed', 'reopened', 'edited', 'commented']);
    expect(one.events[1].note).toBe('merged');
  });

  test('validation: bad filters, bad bodies and unknown ids in the one error shape', async () => {
    await expectError(await s.api('member', '/api/actions?status=finished'), 400, 'bad-input');
    await expectError(await s.api('member', '/api/actions?limit=0'), 400, 'bad-input');
    await expectError(await s.api('member', '/api/actions/0'), 400, 'bad-input');
    await expectError(await s.api('member', '/api/actions/424242'), 404, 'action-not-found');
    const e = await expectError(await s.api('notetaker', '/api/actions/1', { method: 'PATCH', json: { due: 'tomorrow' } }), 400, 'bad-input');
    expect(e.details).toEqual([{ path: 'due', message: expect.stringMatching(/YYYY-MM-DD/), code: expect.any(String) }]);
    await expectError(await s.api('notetaker', '/api/actions/1', { method: 'PATCH', json: {} }), 400, 'bad-input');
    await expectError(await s.api('notetaker', '/api/actions/1', { method: 'PATCH', json: { status: 'done' } }), 400, 'bad-input');
    await expectError(await s.api('notetaker', '/api/actions/1', { method: 'PATCH', body: '{"due":', headers: { 'content-type': 'application/json' } }), 400, 'bad-json');
    await expectError(await s.api('member', '/api/nowhere'), 404, 'not-found');
  });

  test('the list is never stale: writes here and from another connection (the CLI) show at once', async () => {
    await s.api('notetaker', '/api/meetings?series=fresh', md(simpleMinutes('2026-08-13')));
    const list = async () => (await (await s.api('member', '/api/actions?series=fresh')).json()).actions as { id: number; status: string; text: string }[];
    const [first] = await list();
    await s.api('notetaker', `/api/actions/${first.id}/close`, { method: 'POST', json: {} });
    expect((await list()).map((a) => a.id)).not.toContain(first.id);
    await dataDirRun(s.world.dir, "UPDATE actions SET text = 'edited elsewhere' WHERE id = ?", (await list())[0].id);
    expect((await list())[0].text).toBe('edited elsewhere');
  });

  test('the list carries an ETag: an unchanged list answers 304, a changed one a new tag', async () => {
    await s.api('notetaker', '/api/meetings?series=etag', md(simpleMinutes('2026-08-20')));
    const first = await s.api('member', '/api/actions?series=etag');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const body = await first.json();
    // fetch adds "Cache-Control: no-cache" to a conditional request unless one is given; a browser revalidating sends max-age=0.
    const revalidate = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    const again = await s.api('member', '/api/actions?series=etag', { headers: revalidate });
    expect(again.status).toBe(304);
    await s.api('notetaker', `/api/actions/${body.actions[0].id}/close`, { method: 'POST', json: {} });
    const changed = await s.api('member', '/api/actions?series=etag', { headers: revalidate });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  test('GET never changes state', async () => {
    await s.api('notetaker', '/api/meetings?series=gets', md(simpleMinutes('2026-08-06')));
    const [a] = (await (await s.api('member', '/api/actions?series=gets')).json()).actions;
    for (const path of [`/api/actions/${a.id}/close`, `/api/actions/${a.id}/reopen`]) {
      const res = await s.api('admin', path);
      expect(res.status).toBe(404);
    }
    expect((await (await s.api('member', `/api/actions/${a.id}`)).json()).status).toBe('open');
  });
});

describe('people API', () => {
  test('list, create, patch (aliases, role), merge', async () => {
    const created = await s.api('admin', '/api/people', { method: 'POST', json: { name: 'Linus Example', email: 'linus@example.org', aliases: ['linus'] } });
    expect(created.status).toBe(201);
    const p = await created.json();
    expect(p).toMatchObject({ name: 'Linus Example', email: 'linus@example.org', aliases: ['linus'], role: 'member' });
    const dup = await s.api('admin', '/api/people', { method: 'POST', json: { name: 'Linus Example' } });
    expect(dup.status).toBeGreaterThanOrEqual(400);
    await expectError(await s.api('admin', '/api/people', { method: 'POST', json: { name: '' } }), 400, 'bad-input');
    await expectError(await s.api('admin', '/api/people', { method: 'POST', json: { name: 'X', email: 'not-an-email' } }), 400, 'bad-input');

    const patched = await (await s.api('admin', `/api/people/${p.id}`, { method: 'PATCH', json: { org: 'Kernel', aliases: ['torvalds'], role: 'notetaker' } })).json();
    expect(patched).toMatchObject({ org: 'Kernel', role: 'notetaker' });
    expect(patched.aliases.sort()).toEqual(['linus', 'torvalds']);

    const dupe = await (await s.api('admin', '/api/people', { method: 'POST', json: { name: 'L. Example' } })).json();
    const merged = await s.api('admin', `/api/people/${dupe.id}/merge`, { method: 'POST', json: { into: p.id } });
    expect(merged.status).toBe(200);
    expect((await merged.json()).aliases).toContain('L. Example');
    const list = (await (await s.api('member', '/api/people')).json()).people;
    expect(list.some((x: { id: number }) => x.id === dupe.id)).toBe(false);
    const one = await (await s.api('member', `/api/people/${p.id}`)).json();
    expect(one).toHaveProperty('actions');
  });
});

describe('search API', () => {
  test('finds minutes, decisions and actions with snippets; FTS and SQL syntax is harmless', async () => {
    await s.api('notetaker', '/api/meetings?series=search', md(simpleMinutes('2026-07-02', 'DECISION: adopt the quantum compiler\n')));
    const res = await (await s.api('member', '/api/search?q=compiler')).json();
    const kinds = new Set(res.hits.map((h: { kind: string }) => h.kind));
    expect(kinds).toEqual(new Set(['minutes', 'decision', 'action']));
    expect(res.hits.find((h: { kind: string }) => h.kind === 'decision').snippetHtml).toContain('<mark>compiler</mark>');
    expect((await (await s.api('member', '/api/search?q=compiler&kind=decision')).json()).hits).toHaveLength(1);
    // Prefix match on the last word.
    expect((await (await s.api('member', '/api/search?q=quant')).json()).total).toBeGreaterThan(0);
    for (const q of ['"', 'compiler OR', 'NEAR(a b', "x'); DROP TABLE actions; --", 'body:compiler', '*', 'a AND NOT b', '^compiler']) {
      const r = await s.api('member', `/api/search?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
    expect((await (await s.api('member', '/api/actions?status=all')).json()).actions.length).toBeGreaterThan(0);
    await expectError(await s.api('member', '/api/search'), 400, 'bad-input');
  });

  test('a snippet cannot carry markup', async () => {
    await s.api('notetaker', '/api/meetings?series=xss', md(simpleMinutes('2026-07-09', 'Notes: a <b>bold</b> "zeppelin" & <i>co</i>\n')));
    const hit = (await (await s.api('member', '/api/search?q=zeppelin&kind=minutes')).json()).hits[0];
    expect(hit.snippet).toContain('<b>bold</b>');
    expect(hit.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.snippetHtml).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });
});
