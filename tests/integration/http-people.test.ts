/**
 * People over HTTP: resolving an unresolved name in one step (API and the "This is…" form),
 * removing an alias, and the dashboard's owners-without-address and failed-email panels.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser, startTestServer, type TestServer } from './http-support.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let s: TestServer;
let sink: SmtpSink;
let admin: Browser;
let notetaker: Browser;
let member: Browser;

/** Minutes where "Bob" owns an action but is neither an attendee nor in the directory. */
const minutes = (date: string, action: string) => `# Build call ${date}

## Attendees

- Ada Lovelace
- Grace Hopper

## Build

ACTION: ${action}
ACTION: Ada to write the parser tests
`;

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

async function importMinutes(series: string, body: string) {
  const res = await s.api('notetaker', `/api/meetings?series=${series}`, { method: 'POST', body, headers: { 'content-type': 'text/markdown' } });
  expect(res.status).toBeLessThan(300);
  return res.json();
}

async function actionOwners(id: number) {
  const a = await (await s.api('member', `/api/actions/${id}`)).json();
  return a.owners.map((o: { name: string; personId: number | null }) => ({ name: o.name, personId: o.personId }));
}

const actionId = (result: { actions: { id: number; text: string }[] }, start: string) => result.actions.find((a) => a.text.startsWith(start))!.id;

beforeAll(async () => {
  sink = await startSmtpSink();
  s = await startTestServer({ env: { SMTP_URL: sink.url } });
  admin = (await s.personWithRole('admin', 'Alice Admin', 'alice@example.org')).browser;
  notetaker = (await s.personWithRole('notetaker', 'Nora Notes', 'nora@example.org')).browser;
  member = (await s.personWithRole('member', 'Mo Member', 'mo@example.org')).browser;
  for (const b of [admin, notetaker, member]) await b.get('/');
});
afterAll(async () => {
  await s.close();
  await sink.close();
});

describe('resolving an unresolved name', () => {
  test('API: links the actions, records an edited event, keeps the alias so the next import resolves it', async () => {
    const first = await importMinutes('build', minutes('2026-10-01', 'Bob to fix the nightly build'));
    const id = actionId(first, 'fix the nightly build');
    expect(await actionOwners(id)).toEqual([{ name: 'Bob', personId: null }]);
    const robert = await s.world.services.people.create({ name: 'Robert Builder', email: 'rob@example.org' });

    // Members may not; a name nobody wrote is a clear 404; a missing name a 400.
    expect((await s.api('member', `/api/people/${robert.id}/resolve`, { method: 'POST', json: { name: 'Bob' } })).status).toBe(403);
    const none = await s.api('notetaker', `/api/people/${robert.id}/resolve`, { method: 'POST', json: { name: 'Zed' } });
    expect(none.status).toBe(404);
    expect((await none.json()).error).toMatchObject({ code: 'name-not-unresolved', message: "no unresolved owner or attendee is named 'Zed'" });
    const empty = await s.api('notetaker', `/api/people/${robert.id}/resolve`, { method: 'POST', json: {} });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe('bad-input');

    const res = await s.api('notetaker', `/api/people/${robert.id}/resolve`, { method: 'POST', json: { name: 'bob' } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ name: 'bob', actionIds: [id], aliasAdded: true, person: { id: robert.id, aliases: ['bob'] } });

    expect(await actionOwners(id)).toEqual([{ name: 'Robert Builder', personId: robert.id }]);
    const events = (await (await s.api('member', `/api/actions/${id}`)).json()).events;
    expect(events.at(-1)).toMatchObject({ kind: 'edited', actor: { label: 'test notetaker', source: 'api' }, data: { before: { owners: ['Bob'] }, after: { owners: ['Robert Builder'] } } });
    const unresolved = (await (await s.api('member', '/api/people/unresolved')).json()).unresolved;
    expect(unresolved.map((u: { name: string }) => u.name)).not.toContain('Bob');

    const next = await importMinutes('build', minutes('2026-10-08', 'Bob to publish the release'));
    expect(await actionOwners(actionId(next, 'publish the release'))).toEqual([{ name: 'Robert Builder', personId: robert.id }]);
  });

  test('page: the dashboard offers "This is…" with likely matches; the form links and says what it did', async () => {
    const done = await importMinutes('pages', minutes('2026-10-02', 'Kim to book the room'));
    const id = actionId(done, 'book the room');
    const kim = await s.world.services.people.create({ name: 'Kim Park' });

    const dash = await notetaker.get('/');
    expect(dash.html).toContain('<label for="resolve-0">This is…</label>');
    expect(dash.html).toMatch(/<optgroup label="Likely">\s*<option value="\d+">Kim Park<\/option>/);
    expect(dash.html).toContain('<input type="hidden" name="name" value="Kim">');
    // A short directory is offered whole too.
    expect(dash.html).toMatch(/<optgroup label="Everyone">[\s\S]*<option value="\d+">Kim Park<\/option>/);
    // Members see the names, not the form.
    const memberDash = await member.get('/');
    expect(text(memberDash.html)).toContain('Kim');
    expect(memberDash.html).not.toContain('action="/people/resolve"');
    expect((await member.post('/people/resolve', { name: 'Kim', person: String(kim.id) })).res.status).toBe(403);

    // Nobody picked: back to the dashboard with the reason, nothing changed.
    const blank = await notetaker.post('/people/resolve', { name: 'Kim', person: '', back: '/#unresolved' });
    expect(blank.res.status).toBe(303);
    expect(blank.res.headers.get('location')).toBe('/#unresolved');
    expect(text((await notetaker.get('/')).html)).toContain('Could not resolve the name: Person: pick who this is.');
    expect(await actionOwners(id)).toEqual([{ name: 'Kim', personId: null }]);
    // Without the CSRF token nothing happens either.
    expect((await notetaker.post('/people/resolve', { name: 'Kim', person: String(kim.id) }, { csrf: null })).res.status).toBe(403);

    const ok = await notetaker.post('/people/resolve', { name: 'Kim', person: String(kim.id), back: '/#unresolved' });
    expect(ok.res.headers.get('location')).toBe('/#unresolved');
    const after = text((await notetaker.get('/')).html);
    expect(after).toContain('"Kim" is Kim Park: 1 action linked. "Kim" is now one of their aliases');
    expect(text((await notetaker.get(`/actions/${id}`)).html)).toContain('Kim Park');
    expect(await actionOwners(id)).toEqual([{ name: 'Kim Park', personId: kim.id }]);
  });

  test('the people page lists unresolved names with the same form; a foreign back address is ignored', async () => {
    await importMinutes('people-page', minutes('2026-10-03', 'Lee to order cables'));
    const lee = await s.world.services.people.create({ name: 'Lee Chan' });
    const page = await admin.get('/people');
    expect(page.html).toContain('id="unresolved"');
    expect(page.html).toContain('<input type="hidden" name="name" value="Lee">');
    const { res } = await admin.post('/people/resolve', { name: 'Lee', person: String(lee.id), back: 'https://evil.example/' });
    expect(res.headers.get('location')).toBe('/people');
    expect(text((await admin.get('/people')).html)).toContain('"Lee" is Lee Chan: 1 action linked.');
  });

  test('with a big directory the picker holds likely matches and "someone else…", which opens a type-ahead page', async () => {
    const r = await importMinutes('big', minutes('2026-10-05', 'Vic to water the plants'));
    const id = actionId(r, 'water the plants');
    for (let i = 0; i < 150; i++) await s.world.services.people.create({ name: `Filler Person ${String(i).padStart(3, '0')}` });
    const victoria = await s.world.services.people.create({ name: 'Victoria Gardener' });

    const dash = await notetaker.get('/');
    const form = dash.html.slice(dash.html.indexOf('<input type="hidden" name="name" value="Vic">'));
    expect(form.slice(0, form.indexOf('</form>'))).toContain('<option value="other">someone else…</option>');
    expect(dash.html).not.toContain('Filler Person 000');

    const other = await notetaker.post('/people/resolve', { name: 'Vic', person: 'other', back: '/#unresolved' });
    expect(other.res.status).toBe(303);
    const page = other.res.headers.get('location')!;
    expect(page).toBe('/people/resolve?name=Vic&back=%2F%23unresolved');
    const one = await notetaker.get(page);
    expect(text(one.html)).toContain('Who is “Vic”?');
    expect(text(one.html)).toContain('water the plants');
    // A type-ahead field (GET /api/people?q=), not a list of the whole directory.
    expect(one.html).toContain('<input id="resolve-one" name="person" type="text" list="resolve-one-people" required autocomplete="off" data-people-picker');
    expect(one.html).not.toContain('Filler Person 149');
    expect((await member.get(page)).res.status).toBe(403);
    const suggested = await (await notetaker.get(`/api/people?q=vict`)).html;
    expect(JSON.parse(suggested).people.map((p: { name: string }) => p.name)).toEqual(['Victoria Gardener']);

    // Typed without script: an unknown name says so on the form and changes nothing.
    const unknown = await notetaker.post('/people/resolve', { name: 'Vic', person: 'Victor Nobody', back: '/#unresolved' });
    expect(unknown.res.headers.get('location')).toBe('/#unresolved');
    expect(text((await notetaker.get('/')).html)).toContain("Could not resolve the name: No person named 'Victor Nobody'");
    expect(await actionOwners(id)).toEqual([{ name: 'Vic', personId: null }]);

    const done = await notetaker.post('/people/resolve', { name: 'Vic', person: 'victoria gardener', back: '/#unresolved' });
    expect(done.res.headers.get('location')).toBe('/#unresolved');
    expect(await actionOwners(id)).toEqual([{ name: 'Victoria Gardener', personId: victoria.id }]);
    expect(text((await notetaker.get(page)).html)).toContain('No unresolved owner or attendee is named “Vic” any more.');
  });

  test('a name that already names someone else links the rows but is not made an alias', async () => {
    const r = await importMinutes('clash', minutes('2026-10-04', 'Sam to sweep the floor'));
    const id = actionId(r, 'sweep the floor');
    await s.world.services.people.create({ name: 'Sam Other', aliases: ['Sam'] });
    // "Sam" is now an alias of someone, but the stored owner stayed unresolved.
    const sara = await s.world.services.people.create({ name: 'Sara Sweeper' });
    const body = await (await s.api('admin', `/api/people/${sara.id}/resolve`, { method: 'POST', json: { name: 'Sam' } })).json();
    expect(body).toMatchObject({ actionIds: [id], aliasAdded: false, aliasNote: "'Sam' also names Sam Other, so it was not added as an alias" });
    expect(body.person.aliases).toEqual([]);
    expect(await actionOwners(id)).toEqual([{ name: 'Sara Sweeper', personId: sara.id }]);
  });
});

describe('removing an alias', () => {
  test('API and page: the alias goes, later minutes no longer resolve it, links already made stay', async () => {
    const first = await importMinutes('alias', minutes('2026-11-01', 'Tex to update the docs'));
    const tess = await s.world.services.people.create({ name: 'Tess Writer' });
    await s.api('admin', `/api/people/${tess.id}/resolve`, { method: 'POST', json: { name: 'Tex' } });
    await s.world.services.people.addAlias(tess.id, 'TW');

    expect((await s.api('notetaker', `/api/people/${tess.id}/aliases/Tex`, { method: 'DELETE' })).status).toBe(403);
    const missing = await s.api('admin', `/api/people/${tess.id}/aliases/Nope`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ code: 'alias-not-found', message: "Tess Writer has no alias 'Nope'" });

    const del = await s.api('admin', `/api/people/${tess.id}/aliases/tex`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await del.json()).aliases).toEqual(['TW']);
    expect(await actionOwners(actionId(first, 'update the docs'))).toEqual([{ name: 'Tess Writer', personId: tess.id }]);
    const next = await importMinutes('alias', minutes('2026-11-08', 'Tex to proofread the docs'));
    expect(await actionOwners(actionId(next, 'proofread the docs'))).toEqual([{ name: 'Tex', personId: null }]);

    // The person page shows each alias with a remove button (admins only).
    const page = await admin.get(`/people/${tess.id}`);
    expect(page.html).toContain(`action="/people/${tess.id}/aliases/remove"`);
    expect(page.html).toContain('aria-label="Remove alias TW"');
    expect((await notetaker.get(`/people/${tess.id}`)).html).not.toContain('/aliases/remove');
    const removed = await admin.post(`/people/${tess.id}/aliases/remove`, { alias: 'TW' });
    expect(removed.res.status).toBe(303);
    const shown = text((await admin.get(`/people/${tess.id}`)).html);
    expect(shown).toContain('Alias "TW" removed.');
    expect((await s.world.services.people.get(tess.id)).aliases).toEqual([]);
  });
});

describe('forms say what went wrong on their own page', () => {
  test('a bad snooze date or an unknown owner comes back to the action with the reason', async () => {
    const r = await importMinutes('forms', minutes('2026-11-20', 'Ada to sweep the logs'));
    const id = actionId(r, 'sweep the logs');
    const snooze = await notetaker.post(`/actions/${id}/snooze`, { until: 'soon' });
    expect(snooze.res.status).toBe(303);
    expect(snooze.res.headers.get('location')).toBe(`/actions/${id}`);
    expect(text((await notetaker.get(`/actions/${id}`)).html)).toContain('Not snoozed: Snooze until: expected a date YYYY-MM-DD.');
    const edit = await notetaker.post(`/actions/${id}/edit`, { text: 'sweep the logs', due: '2026-13-45', owners: 'Ada Lovelace' });
    expect(edit.res.headers.get('location')).toBe(`/actions/${id}`);
    expect(text((await notetaker.get(`/actions/${id}`)).html)).toContain("Not saved: Due date: not a date on the calendar.");
    // A missing action is still a plain 404 page.
    expect((await notetaker.post('/actions/999999/snooze', { until: '2026-12-01' })).res.status).toBe(404);
  });
});

describe('dashboard panels', () => {
  test('owners without an address come from the reminder service: people, groups and unresolved names', async () => {
    await importMinutes('no-email', minutes('2026-11-10', 'Quinn to check the mirrors'));
    await s.world.services.people.create({ name: 'Infra Team', kind: 'group' });
    await importMinutes('no-email', minutes('2026-11-11', 'Infra Team to rotate the keys'));
    const listed = await s.world.services.reminders.ownersWithoutEmail();
    const html = (await admin.get('/')).html;
    const section = text(html.slice(html.indexOf('Owners without an email address'), html.indexOf('id="unresolved"')));
    expect(listed.map((o) => o.name)).toEqual(expect.arrayContaining(['Quinn', 'Infra Team']));
    for (const o of listed) expect(section).toContain(o.name);
    expect(section).toMatch(/Quinn not in directory · 1 open action/);
    expect(section).toMatch(/Infra Team group · 1 open action/);
    expect(section).toMatch(/Ada Lovelace · \d+ open actions/);
  });

  test('the dashboard summarises: at most 24 owner cards and 12 unresolved names, with links to the rest', async () => {
    const names = 'Abe Bea Cal Dot Eli Fay Gus Hal Ivy Jon Kai Liv Max Ned Oli Pam Rex Sue Ted Uma Val Wes Xia Yan Zed Amos Bert Cleo Dirk Enzo'.split(' ');
    const body = `# Many owners 2026-11-12\n\n## Attendees\n\n- Ada Lovelace\n\n## Work\n\n${names.map((n) => `ACTION: ${n} to file report ${n}`).join('\n')}\n`;
    await importMinutes('many', body);
    const html = (await admin.get('/')).html;
    expect(html.match(/<section class="card">/g)!.length).toBeLessThanOrEqual(25);
    expect(text(html)).toMatch(/\d+ more owners with open actions: see all actions →/);
    expect(html.match(/<form class="resolve"/g)!.length).toBe(12);
    const unresolved = (await s.world.services.people.unresolved()).length;
    expect(text(html)).toContain(`all ${unresolved} unresolved names on the People page →`);
    expect((await admin.get('/people')).html.match(/<form class="resolve"/g)!.length).toBe(unresolved);
  });

  test('a failed email shows a Retry button for admins that queues it again', async () => {
    sink.plan = ['perm-fail'];
    const { id } = await s.world.services.outbox.enqueue({ dedupeKey: 'dash:1', kind: 'test', to: 'x@example.org', subject: 'Weekly digest', text: 'Hi\n' });
    await s.world.services.outbox.flush();
    expect((await s.world.services.outbox.get(id))!.status).toBe('failed');

    const adminDash = (await admin.get('/')).html;
    expect(text(adminDash)).toContain('Weekly digest to x@example.org (1 attempt)');
    expect(adminDash).toContain(`<form method="post" action="/outbox/${id}/retry"`);
    const noteDash = (await notetaker.get('/')).html;
    expect(text(noteDash)).toContain('Weekly digest');
    expect(noteDash).not.toContain(`/outbox/${id}/retry`);
    expect(text(noteDash)).toContain('An admin can send these again.');

    const { res } = await admin.post(`/outbox/${id}/retry`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(text((await admin.get('/')).html)).toContain(`Email ${id} is queued again.`);
    await s.world.services.outbox.flush();
    expect((await s.world.services.outbox.get(id))!.status).toBe('sent');
    expect(sink.received.map((m) => m.subject)).toContain('Weekly digest');
    expect((await admin.get('/')).html).not.toContain(`/outbox/${id}/retry`);
  });
});
