/**
 * Refused forms of the action, people, person, sign-in and agenda pages: back on their own
 * page (post/redirect/get), the reason next to the field at fault, the typed values kept, in web
 * words; and the upload preview's own refusals (a bad due date, a text changed since the preview).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, startTestServer, type TestServer } from './http-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

/** Visible text of a page, tags removed (what a reader sees). */
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('refused forms on the other pages come back with the reason and the values', () => {
  it('action edit: an impossible due date is said next to Due; text and owners typed are kept', async () => {
    const r = await s.world.services.imports.importText('# Call 2024-05-02\n\nAttendees: Ann Lee\n\nACTION: Ann Lee to write the notes\n', { series: 'refuse-action' });
    const id = r.actions[0].id;
    const { browser } = await s.personWithRole('notetaker', 'Ned Editor');
    await browser.get(`/actions/${id}`);
    const post = await browser.post(`/actions/${id}/edit`, { _which: 'edit', text: 'write the release notes', due: '2024-02-30', owners: 'Ann Lee, Bo Brand' });
    expect(post.res.status).toBe(303);
    expect(post.res.headers.get('location')).toBe(`/actions/${id}`);
    const page = await browser.get(`/actions/${id}`);
    expect(page.html).toMatch(/<details open>/);
    expect(page.html).toMatch(/id="e-due"[^>]*value="2024-02-30"[^>]*aria-invalid="true" aria-describedby="e-due-error"/);
    expect(page.html).toMatch(/<p class="field-error" id="e-due-error" role="alert">Not saved: Due date: not a date on the calendar\.<\/p>/);
    expect(page.html).toContain('>write the release notes</textarea>');
    expect(page.html).toMatch(/id="e-owners"[^>]*value="Ann Lee, Bo Brand"/);
    // Said once, beside the form, not again at the top; nothing changed.
    expect(page.html.match(/not a date on the calendar/g)).toHaveLength(1);
    expect((await s.world.services.actions.get(id)).text).toBe('write the notes');
  });

  it('action comment and snooze: an empty comment and a bad day are said beside their own fields', async () => {
    const r = await s.world.services.imports.importText('# Call 2024-05-09\n\nAttendees: Ann Lee\n\nACTION: Ann Lee to book the room\n', { series: 'refuse-action' });
    const id = r.actions[0].id;
    const { browser } = await s.personWithRole('notetaker', 'Cora Commenter');
    await browser.get(`/actions/${id}`);
    await browser.post(`/actions/${id}/comment`, { _which: 'comment', text: '   ' });
    let page = await browser.get(`/actions/${id}`);
    expect(page.html).toMatch(/<p class="field-error" id="comment-error" role="alert">Comment not added: Text: write a comment first\.<\/p>/);
    await browser.post(`/actions/${id}/snooze`, { _which: 'snooze', until: '2024-13-01' });
    page = await browser.get(`/actions/${id}`);
    expect(page.html).toMatch(/id="snooze-until"[^>]*value="2024-13-01"[^>]*aria-invalid="true"/);
    expect(page.html).toMatch(/id="snooze-until-error" role="alert">Not snoozed: Snooze until: not a date on the calendar\.<\/p>/);
    expect(page.html).not.toMatch(/id="comment-error"/);
  });

  it('people: adding a name that is taken keeps every field and says why at the form', async () => {
    await s.world.services.people.create({ name: 'Pia Present', email: 'pia@example.org' });
    const { browser } = await s.personWithRole('admin', 'Ada Admin');
    await browser.get('/people');
    const post = await browser.post('/people', { _which: 'add', name: 'Pia Present', email: 'pia2@example.org', org: 'Xen', aliases: 'pia, pp', kind: 'person' });
    expect(post.res.headers.get('location')).toBe('/people');
    const page = await browser.get('/people');
    expect(page.html).toMatch(/<details class="filters" id="add-person" open>/);
    expect(visible(page.html)).toContain("Could not add the person: 'Pia Present' is already in the directory");
    expect(page.html).toMatch(/id="n-email"[^>]*value="pia2@example.org"/);
    expect(page.html).toMatch(/id="n-org"[^>]*value="Xen"/);
    expect(page.html).toMatch(/id="n-aliases"[^>]*value="pia, pp"/);
  });

  it('person: an email another person has is said next to Email; merging into nobody is said next to its field', async () => {
    const pia = await s.world.services.people.create({ name: 'Quin Quill', email: 'quin@example.org' });
    const other = await s.world.services.people.create({ name: 'Olaf Other' });
    const { browser } = await s.personWithRole('admin', 'Ada Two');
    await browser.get(`/people/${other.id}`);
    await browser.post(`/people/${other.id}`, { _which: 'edit', name: 'Olaf Otherson', email: 'quin@example.org', org: '', kind: 'person', aliases: '' });
    let page = await browser.get(`/people/${other.id}`);
    expect(page.html).toMatch(/id="p-name"[^>]*value="Olaf Otherson"/);
    expect(page.html).toMatch(/id="p-email"[^>]*value="quin@example.org"/);
    expect(visible(page.html).toLowerCase()).toContain(`not saved: quin@example.org already belongs to ${pia.name.toLowerCase()}`);
    await browser.post(`/people/${other.id}/merge`, { _which: 'merge', into: 'Nobody Known' });
    page = await browser.get(`/people/${other.id}`);
    expect(page.html).toMatch(/id="p-merge"[^>]*value="Nobody Known"[^>]*aria-invalid="true"/);
    expect(page.html).toMatch(/id="p-merge-error" role="alert">Not merged: No person named &#39;Nobody Known&#39;<\/p>/);
  });

  it('sign-in: not an email address is said next to the field, what was typed kept', async () => {
    const anon = new Browser(s.url);
    const page = await anon.get('/sign-in');
    expect(page.res.status).toBe(200);
    const r = await anon.post('/sign-in', { email: 'ann at example.org', next: '/actions' });
    expect(r.res.status).toBe(400);
    expect(r.html).toMatch(/<h1>Sign in<\/h1>/);
    expect(r.html).toMatch(/id="email"[^>]*value="ann at example.org"[^>]*aria-invalid="true"/);
    expect(r.html).toMatch(/id="email-error" role="alert">Enter a valid email address, such as name@example.org/);
    expect(r.html).toMatch(/name="next" value="\/actions"/);
  });

  it('agenda send without a mailing list: back on the agenda, in web words', async () => {
    await s.world.services.series.upsert({ slug: 'no-list', name: 'No list', cadence: 'FREQ=WEEKLY;BYDAY=TH' });
    const { browser } = await s.personWithRole('notetaker', 'Sam Sender');
    await browser.get('/series/no-list/agenda?date=2099-01-01');
    const r = await browser.post('/series/no-list/agenda/send', { date: '2099-01-01' });
    expect(r.res.status).toBe(303);
    expect(r.res.headers.get('location')).toBe('/series/no-list/agenda?date=2099-01-01');
    const page = await browser.get('/series/no-list/agenda?date=2099-01-01');
    expect(visible(page.html)).toContain('Could not send the agenda: Series "no-list" has no mailing list: set one on the series page');
    expect(page.html).not.toMatch(/--list/);
  });
});

describe('the upload preview refuses in place', () => {
  const text = '# Call 2024-06-06\n\nAttendees: Ann Lee\n\n## Work\n\nACTION: Ann Lee to write the notes\n\nDECISION: meet weekly\n';
  const row = { 'a.0.line': '7', 'a.0.was': 'write the notes', 'a.0.owners0': '["Ann Lee"]', 'a.0.due0': '', 'a.0.owners': 'Ann Lee', 'a.0.text': 'write the notes', 'a.0.op': 'keep' };

  it('a due date that is not a day: the preview again, the reason beside that Due field, nothing saved', async () => {
    const { browser } = await s.personWithRole('notetaker', 'Pam Preview');
    await browser.get('/upload');
    const r = await browser.post('/upload', { intent: 'save', series: 'preview-refusals', text, ...row, 'a.0.owners': 'Bo Brand', 'a.0.due': '2024-06-31' });
    expect(r.res.status).toBe(400);
    expect(r.html).toMatch(/<h1>Preview: /);
    expect(r.html).toMatch(/id="a0-due"[^>]*aria-invalid="true" aria-describedby="a0-error"/);
    expect(r.html).toMatch(/id="a0-error" role="alert">Due date: &quot;2024-06-31&quot; is not a day of the calendar \(YYYY-MM-DD\)\.<\/p>/);
    expect(r.html).toMatch(/id="a0-owners"[^>]*value="Bo Brand"/);
    expect(visible(r.html)).toContain('Nothing was saved: fix the field marked below, then save.');
    expect((await s.world.services.series.list()).map((x) => x.slug)).not.toContain('preview-refusals');
  });

  it('edits of items the text no longer has (edited in the box since): left out and said so', async () => {
    const { browser } = await s.personWithRole('notetaker', 'Pam Two');
    await browser.get('/upload');
    const edited = text.replace('ACTION: Ann Lee to write the notes', 'ACTION: Ann Lee to draft the notes');
    const r = await browser.post('/upload', { intent: 'preview', series: 'preview-stale', text: edited, ...row, 'a.0.op': 'drop', 'd.0.line': '9', 'd.0.was': 'meet weekly', 'd.0.op': 'drop' });
    expect(r.res.status).toBe(200);
    const t = visible(r.html);
    expect(t).toContain('1 of your edits names an item the minutes no longer have (the text was changed): left out.');
    expect(t).toContain('Actions (1)');
    expect(t).toContain('Decisions (0 of 1: 1 dropped)');
    expect(r.html).toContain('>draft the notes</textarea>');
  });
});
