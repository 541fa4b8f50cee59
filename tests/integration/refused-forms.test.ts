import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const undated = '# Notes of our call\n\nACTION: Ann to write the release notes\n';
/** Visible text of a page, tags removed (what a reader sees). */
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');

describe('refused forms come back to their own page, input kept, in web words', () => {
  it('upload: an impossible date is said next to the date field; the chosen file text is kept', async () => {
    const { browser } = await s.personWithRole('notetaker', 'Uma Upload');
    await browser.get('/upload');
    const form = new FormData();
    form.set('series', 'refusals');
    form.set('date', '2024-02-30');
    form.set('file', new Blob([undated], { type: 'text/markdown' }), 'call-notes.md');
    form.set('intent', 'preview');
    const r = await browser.post('/upload', form);
    expect(r.res.status).toBe(400);
    expect(r.html).toMatch(/<h1>Upload minutes<\/h1>/);
    expect(r.html).toMatch(/id="u-date"[^>]*value="2024-02-30"[^>]*aria-invalid="true"/);
    expect(r.html).toMatch(/<p class="field-error" id="u-date-error" role="alert">Date: not a date on the calendar\.<\/p>/);
    expect(r.html).toMatch(/value="refusals"/);
    // The file's text is in the box and its name travels on: nothing to choose again.
    expect(r.html).toContain('ACTION: Ann to write the release notes');
    expect(r.html).toMatch(/name="filename" value="call-notes\.md"/);
    expect(visible(r.html)).toMatch(/the text of call-notes\.md is kept in the box below/);
    expect(r.html).not.toMatch(/Invalid input|--date/);
  });

  it('upload: minutes without a date ask for the date in web words, not "pass --date"', async () => {
    const { browser } = await s.personWithRole('notetaker', 'Uma Two');
    await browser.get('/upload');
    const r = await browser.post('/upload', { series: 'refusals', text: undated, intent: 'preview' });
    expect(r.res.status).toBe(422);
    expect(r.html).toMatch(/id="u-date-error" role="alert">No meeting date found[^<]*choose the meeting date<\/p>/);
    expect(r.html).toContain('ACTION: Ann to write the release notes');
    expect(r.html).not.toMatch(/--date/);
  });

  it('upload: a 3 MB file is refused next to the file field, the other values kept', async () => {
    const { browser } = await s.personWithRole('notetaker', 'Uma Three');
    await browser.get('/upload');
    const form = new FormData();
    form.set('series', 'refusals');
    form.set('date', '2024-03-07');
    form.set('file', new Blob(['# Big\n\n' + 'x'.repeat(3 * 1024 * 1024)], { type: 'text/markdown' }), 'huge.md');
    const r = await browser.post('/upload', form);
    expect(r.res.status).toBe(413);
    expect(r.html).toMatch(/id="u-file-error" role="alert">The upload is larger than 2 MB<\/p>/);
    expect(r.html).toMatch(/id="u-date"[^>]*value="2024-03-07"/);
    expect(r.html).toMatch(/id="u-series"[^>]*value="refusals"/);
  });

  it('agenda: an item proposed for a past meeting returns to that agenda with the reason and the text', async () => {
    await s.world.services.series.upsert({ slug: 'past-call', name: 'Past call' });
    const { browser } = await s.personWithRole('member', 'Pat Proposer');
    await browser.get('/series/past-call/agenda?date=2020-01-09');
    const r = await browser.post('/series/past-call/agenda-items', { date: '2020-01-09', text: 'Talk about the roadmap' });
    expect(r.res.status).toBe(303);
    expect(r.res.headers.get('location')).toBe('/series/past-call/agenda?date=2020-01-09#propose');
    const page = await browser.get('/series/past-call/agenda?date=2020-01-09');
    expect(page.html).toMatch(/id="item-text"[^>]*value="Talk about the roadmap"[^>]*aria-invalid="true"/);
    expect(page.html).toMatch(/id="item-text-error" role="alert">Could not propose the item: The meeting on 2020-01-09 is in the past; propose for a later one<\/p>/);
    // Shown once, next to the form.
    expect(page.html.match(/is in the past/g)).toHaveLength(1);
    expect((await s.world.services.agenda.render({ series: 'past-call', date: '2020-01-09' }, 'md')).body).not.toMatch(/roadmap/);
  });

  it('resolve page: no person picked comes back to the same page with the reason next to the picker', async () => {
    const world = s.world.services;
    await world.imports.importText('# Call 2024-04-04\n\nAttendees: Ann Lee\n\nACTION: Zed to check the mirrors\n', { series: 'resolve-call' });
    await world.people.create({ name: 'Zed Zimmer' });
    const { browser } = await s.personWithRole('notetaker', 'Rita Resolver');
    const url = '/people/resolve?name=Zed&back=%2Fpeople%23unresolved';
    const page = await browser.get(url);
    expect(page.html).toMatch(/name="_form" value="\/people\/resolve\?name=Zed&amp;back=%2Fpeople%23unresolved"/);
    const r = await browser.post('/people/resolve', { name: 'Zed', back: '/people#unresolved', _form: url, person: '' });
    expect(r.res.headers.get('location')).toBe(url);
    const back = await browser.get(url);
    expect(back.html).toMatch(/<h1>Who is “Zed”\?<\/h1>/);
    expect(back.html).toMatch(/id="resolve-one-error" role="alert">Could not resolve the name: Person: pick who this is\.<\/p>/);
    // A bare link without a name: the list, with a sentence instead of a validation error.
    const bare = await browser.get('/people/resolve');
    expect(bare.res.status).toBe(303);
    expect(bare.res.headers.get('location')).toBe('/people#unresolved');
    const list = await browser.get('/people');
    expect(list.html).toMatch(/Choose a name to resolve from the list of unresolved names\./);
  });
});
