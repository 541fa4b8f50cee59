import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser, startTestServer, type TestServer } from './http-support.js';
import { AMBIGUOUS, HOSTILE, simpleMinutes } from './http-fixtures.js';

let s: TestServer;
let admin: Browser;
let notetaker: Browser;
let member: Browser;
let memberId: number;

beforeAll(async () => {
  s = await startTestServer();
  admin = (await s.personWithRole('admin', 'Alice Admin', 'alice@example.org')).browser;
  notetaker = (await s.personWithRole('notetaker', 'Nora Notes')).browser;
  const m = await s.personWithRole('member', 'Grace Hopper', 'grace@example.org');
  member = m.browser;
  memberId = m.id;
  for (const b of [admin, notetaker, member]) await b.get('/');
});
afterAll(async () => {
  await s.close();
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('upload: preview, fix owners, promote, save', () => {
  // The suggestion's line: the promote box names it by line.
  const suggested = String(AMBIGUOUS.split('\n').findIndex((l) => l.includes('Ada will write the announcement')) + 1);
  test('the preview lists what was found and offers a person for the ambiguous owner', async () => {
    const { res, html } = await notetaker.post('/upload', { intent: 'preview', series: 'upload-flow', text: AMBIGUOUS });
    expect(res.status).toBe(200);
    const t = text(html);
    expect(t).toContain('new meeting');
    expect(t).toContain('line 11: owner \'Rich\' matches 2 attendees');
    expect(t).toContain('review the release notes');
    expect(t).toContain('ship 7.1 in December');
    expect(t).toContain('Ada will write the announcement');
    // Each action is editable: owners (type-ahead, the attendees offered), due, text, keep/drop.
    expect(html).toContain('<input type="hidden" name="a.0.line" value="11">');
    expect(html).toMatch(/name="a\.0\.owners" type="text" value="Rich" list="a0-people"/);
    expect(html).toContain('<option value="Rich Persaud">');
    expect(html).toContain('name="a.0.due" type="date" value="2026-11-20"');
    expect(html).toContain(`<input type="hidden" name="s.0.line" value="${suggested}">`);
    expect(html).toContain('name="s.0.op" value="promote"');
    // Nothing stored yet.
    expect((await (await s.api('member', '/api/meetings?series=upload-flow')).json()).meetings).toEqual([]);
  });

  test('preview again keeps the edits; save stores exactly what the preview showed', async () => {
    const form = {
      series: 'upload-flow', text: AMBIGUOUS,
      'a.0.line': '11', 'a.0.was': 'review the release notes by Friday', 'a.0.owners0': '["Rich"]', 'a.0.due0': '2026-11-20',
      'a.0.owners': 'Rich Persaud', 'a.0.due': '2026-11-20', 'a.0.text': 'review the release notes by Friday', 'a.0.op': 'keep',
      's.0.line': suggested, 's.0.was': 'will write the announcement', 's.0.op': 'promote',
    };
    const again = await notetaker.post('/upload', { ...form, intent: 'preview' });
    expect(again.html).toMatch(/name="a\.0\.owners" type="text" value="Rich Persaud"/);
    expect(again.html).toContain('name="s.0.op" value="promote" checked');
    expect(text(again.html)).toContain('Actions (3)');

    const saved = await notetaker.post('/upload', { ...form, intent: 'save' });
    expect(saved.res.status).toBe(303);
    const meetingPath = saved.res.headers.get('location')!;
    expect(meetingPath).toMatch(/^\/meetings\/\d+$/);
    const actions = (await (await s.api('member', '/api/actions?series=upload-flow')).json()).actions;
    const byText = Object.fromEntries(actions.map((a: { text: string; owners: { name: string; personId: number | null }[] }) => [a.text, a.owners]));
    const review = Object.keys(byText).find((k) => k.startsWith('review the release notes'))!;
    expect(byText[review]).toEqual([expect.objectContaining({ name: 'Rich Persaud', personId: expect.any(Number) })]);
    expect(Object.keys(byText).some((k) => k.includes('write the announcement'))).toBe(true);
    const page = await notetaker.get(meetingPath);
    expect(page.html).toContain('Saved new meeting');
  });

  test('uploading a changed file previews the changes against the stored revision', async () => {
    const changed = AMBIGUOUS.replace('ACTION: Ada to tag the release', 'ACTION: Ada to tag the release candidate\n\nACTION: Rich Turner to update the wiki');
    const { html } = await notetaker.post('/upload', { intent: 'preview', series: 'upload-flow', text: changed });
    const t = text(html);
    expect(t).toContain('new revision');
    expect(t).toContain('Changes against the stored revision');
    expect(t).toContain('+ action added: update the wiki');
    expect(t).toContain('~ action changed:');
  });

  test('a file upload in the form; non-UTF-8, binary and oversize files are refused with a clear page', async () => {
    const fd = new FormData();
    fd.set('intent', 'preview');
    fd.set('series', 'files');
    fd.set('file', new Blob([simpleMinutes('2026-03-05')], { type: 'text/markdown' }), 'sync.md');
    const ok = await notetaker.post('/upload', fd);
    expect(ok.res.status).toBe(200);
    expect(text(ok.html)).toContain('write the parser tests');

    const latin = new FormData();
    latin.set('file', new Blob([Buffer.from('# Réunion 2026-03-05\n', 'latin1')]), 'latin.md');
    const bad = await notetaker.post('/upload', latin);
    expect(bad.res.status).toBe(415);
    expect(text(bad.html)).toContain("File 'latin.md' is not UTF-8 text");

    const bin = new FormData();
    bin.set('file', new Blob([Buffer.from([1, 0, 2, 0])]), 'a.docx');
    expect((await notetaker.post('/upload', bin)).res.status).toBe(415);

    const big = new FormData();
    big.set('file', new Blob(['y'.repeat(2 * 1024 * 1024 + 1)]), 'big.md');
    const tooBig = await notetaker.post('/upload', big);
    expect(tooBig.res.status).toBe(413);
    expect(text(tooBig.html)).toContain('larger than 2 MB');

    const empty = await notetaker.post('/upload', { intent: 'preview', text: '  ' });
    expect(empty.res.status).toBe(400);
    expect(text(empty.html)).toContain('empty');

    // Minutes without a date: the form comes back with the problem and the text kept.
    const undated = await notetaker.post('/upload', { intent: 'preview', series: 'files', text: '# Some call\n\nACTION: Ada to do it\n' });
    expect(undated.res.status).toBe(422);
    expect(text(undated.html)).toContain('No meeting date found');
    expect(undated.html).toMatch(/ACTION: Ada to do it\s*<\/textarea>/);
  });
});

describe('meeting page', () => {
  test('minutes render as HTML with actions and decisions marked and linked', async () => {
    const res = await s.api('notetaker', '/api/meetings?series=render', { method: 'POST', body: AMBIGUOUS, headers: { 'content-type': 'text/markdown' } });
    const body = await res.json();
    const { html } = await member.get(`/meetings/${body.meeting.id}`);
    expect(html).toContain('<h1>Community call 2026-11-19</h1>');
    const actionId = body.actions[0].id;
    expect(html).toMatch(new RegExp(`<p class="item-action" id="L11">.*<a class="item-tag badge" href="/actions/${actionId}">`));
    expect(html).toMatch(/<p class="item-decision" id="L17">/);
    expect(html).toContain('Revision 1');
    expect((await member.get(`/meetings/${body.meeting.id}/revisions/1`)).html).toContain('Markdown source');
    expect((await member.get(`/meetings/${body.meeting.id}/revisions/9`)).res.status).toBe(404);
  });

  test('items on consecutive lines of one paragraph are marked line by line', async () => {
    const res = await s.api('notetaker', '/api/meetings?series=lines', { method: 'POST', body: simpleMinutes('2026-03-12', 'DECISION: keep the Thursday slot\n'), headers: { 'content-type': 'text/markdown' } });
    const body = await res.json();
    const { html } = await member.get(`/meetings/${body.meeting.id}`);
    expect(body.actions.length).toBeGreaterThan(0);
    for (const a of body.actions) expect(html).toMatch(new RegExp(`<span id="L${a.line}" class="item-action">[^<]* <a class="item-tag badge" href="/actions/${a.id}">`));
    expect(html).toMatch(/<span id="L12" class="item-decision">DECISION: keep the Thursday slot <a class="item-tag badge"/);
    expect(html).toContain('<br>');
  });

  test('script in minutes cannot run: no <script>, no on* handlers, no javascript: links', async () => {
    const res = await s.api('notetaker', '/api/meetings?series=hostile', { method: 'POST', body: HOSTILE, headers: { 'content-type': 'text/markdown' } });
    expect(res.status).toBe(201);
    const { meeting } = await res.json();
    const { html } = await member.get(`/meetings/${meeting.id}`);
    const article = html.slice(html.indexOf('<article class="minutes">'), html.indexOf('</article>'));
    expect(article.length).toBeGreaterThan(50);
    expect(article).not.toMatch(/<script/i);
    expect(article).not.toMatch(/\son[a-z]+\s*=/i);
    expect(article).not.toMatch(/javascript:/i);
    expect(article).not.toMatch(/<iframe/i);
    expect(html.match(/<script/g) ?? []).toEqual([]);
    // The text stays visible as text.
    expect(article).toContain('click me');
  });

  test('meetings list filters by series, date and words', async () => {
    const all = await member.get('/meetings');
    expect(text(all.html)).toContain('Security review');
    const filtered = await member.get('/meetings?series=render&q=release');
    expect(text(filtered.html)).toContain('Community call 2026-11-19');
    expect(text(filtered.html)).not.toContain('Security review');
    expect(text((await member.get('/meetings?to=2000-01-01')).html)).toContain('No meetings match');
    expect((await member.get('/meetings?from=yesterday')).res.status).toBe(400);
  });
});

describe('actions pages', () => {
  let own: number;
  beforeAll(async () => {
    const res = await s.api('notetaker', '/api/meetings?series=page-acts', { method: 'POST', body: simpleMinutes('2026-02-05'), headers: { 'content-type': 'text/markdown' } });
    const body = await res.json();
    own = body.actions.find((a: { owners: { personId: number }[] }) => a.owners[0].personId === memberId).id;
  });

  test('My actions, close from the list, reopen, comment, history', async () => {
    const mine = await member.get('/actions/mine');
    expect(text(mine.html)).toContain('review the compiler patch');
    expect(mine.html).toContain(`action="/actions/${own}/close"`);
    const closed = await member.post(`/actions/${own}/close`, { note: 'done in PR 7' });
    expect(closed.res.status).toBe(303);
    const page = await member.get(`/actions/${own}`);
    expect(text(page.html)).toContain(`Action #${own} closed.`);
    expect(text(page.html)).toContain('done in PR 7');
    expect(page.html).toContain('Reopen action');
    await member.post(`/actions/${own}/reopen`, {});
    await member.post(`/actions/${own}/comment`, { text: 'picking it up again' });
    const after = text((await member.get(`/actions/${own}`)).html);
    expect(after).toMatch(/closed .* reopened .* commented/);
    expect(after).toContain('picking it up again');
  });

  test('filters and the edit form (note-taker)', async () => {
    const list = await member.get('/actions?series=page-acts&owner=Ada+Lovelace&status=open');
    expect(text(list.html)).toContain('write the parser tests');
    expect(text(list.html)).not.toContain('review the compiler patch');
    const edited = await notetaker.post(`/actions/${own}/edit`, { text: 'review the compiler patch', due: '2026-01-15', owners: 'Grace Hopper, Ada Lovelace' });
    expect(edited.res.status).toBe(303);
    const a = await (await s.api('member', `/api/actions/${own}`)).json();
    expect(a.due).toBe('2026-01-15');
    expect(a.owners.map((o: { name: string }) => o.name)).toEqual(['Grace Hopper', 'Ada Lovelace']);
    const overdue = await member.get('/actions?overdue=1&series=page-acts');
    expect(text(overdue.html)).toContain('overdue');
    const dash = await member.get('/');
    expect(text(dash.html)).toContain('Open actions by owner');
    expect(text(dash.html)).toMatch(/Grace Hopper .* overdue/);
  });
});

describe('people pages', () => {
  test('admin adds, edits, aliases and merges; everyone sees the list and actions', async () => {
    const add = await admin.post('/people', { name: 'Kim Doe', email: '', org: 'Acme', aliases: 'kim, kd' });
    expect(add.res.status).toBe(303);
    const path = add.res.headers.get('location')!;
    const page = await admin.get(path);
    expect(text(page.html)).toContain('Also known as: kim × kd ×');
    const id = Number(path.split('/').pop());
    await admin.post(path, { name: 'Kim Doe', email: 'kim@example.org', org: 'Acme Corp', kind: 'person', aliases: 'kimmy' });
    const p = await s.world.services.people.get(id);
    expect(p).toMatchObject({ email: 'kim@example.org', org: 'Acme Corp' });
    expect(p.aliases).toContain('kimmy');
    const other = await s.world.services.people.create({ name: 'K. Doe' });
    const merged = await admin.post(`/people/${other.id}/merge`, { into: String(id) });
    expect(merged.res.headers.get('location')).toBe(path);
    expect((await s.world.services.people.get(id)).aliases).toContain('K. Doe');
    const list = await member.get('/people');
    expect(text(list.html)).toContain('Kim Doe');
    expect(list.html).not.toContain('Add a person');
    // A refused form comes back to its page with the reason, not to a bare error page.
    const bad = await admin.post('/people', { name: '', email: 'x' });
    expect(bad.res.status).toBe(303);
    expect(bad.res.headers.get('location')).toBe('/people');
    expect(text((await admin.get('/people')).html)).toContain('Could not add the person: Name: a person needs a name.');
    const dup = await admin.post('/people', { name: 'kim doe' });
    expect(dup.res.status).toBe(303);
    expect(text((await admin.get('/people')).html)).toContain("Could not add the person: 'kim doe' is already in the directory");
    const badEdit = await admin.post(path, { name: 'Kim Doe', email: 'not-an-address' });
    expect(badEdit.res.headers.get('location')).toBe(path);
    expect(text((await admin.get(path)).html)).toContain('Not saved: Email: not an email address.');
  });
});

describe('search, tokens and errors', () => {
  test('search page shows highlighted hits linking to meetings and actions', async () => {
    const { html } = await member.get('/search?q=compiler');
    expect(html).toContain('<mark>compiler</mark>');
    expect(html).toMatch(/href="\/actions\/\d+"/);
    expect((await member.get('/search?q=%22%20OR%20*')).res.status).toBe(200);
  });

  test('admin creates a token, sees it once, revokes it', async () => {
    const created = await admin.post('/tokens', { role: 'notetaker', name: 'ci' });
    const token = /<code id="new-token">([^<]+)<\/code>/.exec(created.html)![1];
    expect((await fetch(`${s.url}/api/actions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const list = await admin.get('/tokens');
    expect(list.html).not.toContain(token);
    const id = (await s.world.services.tokens.list()).find((t) => t.name === 'ci')!.id;
    await admin.post(`/tokens/${id}/revoke`, {});
    expect((await fetch(`${s.url}/api/actions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  test('unknown pages are an HTML 404 for browsers, JSON for the API', async () => {
    const page = await member.get('/nowhere');
    expect(page.res.status).toBe(404);
    expect(page.html).toContain('Not found');
    const api = await s.api('member', '/api/nowhere');
    expect((await api.json()).error.code).toBe('not-found');
    expect((await member.get('/actions/999999')).res.status).toBe(404);
    expect((await member.get('/assets/app.css')).res.headers.get('content-type')).toContain('text/css');
  });
});
