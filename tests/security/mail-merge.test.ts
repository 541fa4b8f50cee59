/**
 * Threat: a duplicate person record that had a role (or a session, or an API token) is merged
 * away; before the fix its session kept working with its old role, and no admin could see or
 * demote it because merged records are hidden from the directory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../integration/http-support.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

describe('merging people', () => {
  it('ends the merged record\'s session and API token and carries its admin role to the survivor', async () => {
    const dup = await s.personWithRole('admin', 'R. Philipson', 'ross@old.example.org');
    const kept = await s.world.services.people.create({ name: 'Ross Philipson', email: 'ross@example.org' });
    const dupToken = (await s.world.services.tokens.create({ role: 'admin', name: 'dup cli', personId: dup.id })).token;
    // Both work before the merge.
    expect((await dup.browser.get('/people')).res.status).toBe(200);
    expect((await fetch(`${s.url}/api/people`, { headers: { authorization: `Bearer ${dupToken}` } })).status).toBe(200);

    const res = await s.api('admin', `/api/people/${dup.id}/merge`, { method: 'POST', json: { into: kept.id } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { role: string; merge: { message: string; roleCarried: string } };
    expect(body.role).toBe('admin');
    expect(body.merge.message).toContain('Ross Philipson is now admin (from the merged record)');
    expect(body.merge.message).toMatch(/1 session ended and 1 API token revoked/);

    // The old session is gone: the page sends the browser to sign in.
    const after = await dup.browser.get('/people');
    expect(after.res.status).toBe(303);
    expect(after.res.headers.get('location')).toMatch(/^\/sign-in/);
    expect((await fetch(`${s.url}/api/people`, { headers: { authorization: `Bearer ${dupToken}` } })).status).toBe(401);
  });

  it('keeps the survivor\'s higher role and says nothing about roles when it already had it', async () => {
    const dup = await s.personWithRole('notetaker', 'Jim McKenzie', 'jim@old.example.org');
    const kept = await s.personWithRole('admin', 'James McKenzie', 'james@example.org');
    const res = await s.api('admin', `/api/people/${dup.id}/merge`, { method: 'POST', json: { into: kept.id } });
    const body = (await res.json()) as { role: string; merge: { message: string; roleCarried: string | null } };
    expect(body.role).toBe('admin');
    expect(body.merge.roleCarried).toBeNull();
    expect(body.merge.message).not.toContain('is now');
    // The survivor's own session is untouched.
    expect((await kept.browser.get('/people')).res.status).toBe(200);
  });

  it('the people page form flashes what happened to the role', async () => {
    const admin = await s.personWithRole('admin', 'Alice Admin', 'alice@example.org');
    const dup = await s.personWithRole('notetaker', 'C. Rogers', 'c@old.example.org');
    const kept = await s.world.services.people.create({ name: 'Chris Rogers', email: 'chris@example.org' });
    await admin.browser.get(`/people/${dup.id}`);
    const posted = await admin.browser.post(`/people/${dup.id}/merge`, { into: String(kept.id) });
    expect(posted.res.status).toBe(303);
    const page = await admin.browser.get(posted.res.headers.get('location')!);
    expect(page.html).toContain('Chris Rogers is now notetaker (from the merged record)');
    expect(await s.world.services.auth.roleOf(kept.id)).toBe('notetaker');
  });
});
