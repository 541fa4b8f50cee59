/** Person pickers without script: typed names resolved by the server, with clear refusals. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';
import { seeder } from '../helpers/reminder-seed.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

test('merge takes a typed name or alias; unknown and ambiguous names are said on the form and change nothing', async () => {
  const { browser: admin } = await s.personWithRole('admin', 'Ada Admin', 'ada@example.org');
  const dup = await s.world.services.people.create({ name: 'R. Persaud' });
  const keep = await s.world.services.people.create({ name: 'Rich Persaud', email: 'rich@example.org', aliases: ['rp'] });
  // Two records with one name (imports from different orgs can leave that): a name that is no answer.
  await seeder(s.world.db).person('Chris Smith');
  await seeder(s.world.db).person('Chris Smith');

  const page = await admin.get(`/people/${dup.id}`);
  expect(page.html).toContain('<input id="p-merge" name="into" type="text" list="p-merge-people" required');
  expect(page.html).not.toContain('<option value="' + keep.id + '"');

  const unknown = await admin.post(`/people/${dup.id}/merge`, { into: 'Nobody Known' });
  expect(unknown.res.status).toBe(303);
  expect(text((await admin.get(`/people/${dup.id}`)).html)).toContain("No person named 'Nobody Known'");
  const ambiguous = await admin.post(`/people/${dup.id}/merge`, { into: 'chris smith' });
  expect(ambiguous.res.status).toBe(303);
  expect(text((await admin.get(`/people/${dup.id}`)).html)).toMatch(/'chris smith' matches 2 people: Chris Smith \(#\d+\), Chris Smith \(#\d+\); use an id/);
  expect((await s.world.services.people.get(dup.id)).id).toBe(dup.id);

  const merged = await admin.post(`/people/${dup.id}/merge`, { into: 'rp' });
  expect(merged.res.headers.get('location')).toBe(`/people/${keep.id}`);
  expect((await s.world.services.people.get(dup.id)).id).toBe(keep.id);
});
