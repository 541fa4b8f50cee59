/**
 * Browser tests: a real Chromium against the real app. Skipped (with a message) when
 * /usr/bin/chromium is missing; `.ci/run` installs it. Screenshots of the main pages at laptop
 * and phone widths go to $MINUTES_SCREENSHOTS (default: a temp folder) for a human to look at.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { haveChromium, launchChromium, shots, signInByLink } from './browser-support.js';
import { startTestServer, type TestServer } from '../integration/http-support.js';
import { AMBIGUOUS, simpleMinutes } from '../integration/http-fixtures.js';


let s: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  s = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe.skipIf(!haveChromium)('in a browser', () => {
  test('sign in by link, upload with preview and owner fix, close an action', async () => {
    const nora = await s.world.services.people.create({ name: 'Nora Notes', email: 'nora@example.org' });
    await s.world.services.auth.setRole(nora.id, 'notetaker');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    await signInByLink(s, page, 'nora@example.org');
    // What the user sees after signing in: the dashboard heading and who they are.
    const heading = page.getByRole('heading', { name: 'Dashboard', level: 1 });
    await heading.waitFor({ state: 'visible' });
    expect(await heading.textContent()).toBe('Dashboard');
    expect(await page.getByText(/Signed in as/).textContent()).toContain('Nora Notes');

    // Upload: paste, preview, fix the ambiguous owner, promote the suggestion, save.
    await page.click('nav >> text=Upload');
    await page.fill('#u-series', 'community');
    await page.fill('#u-text', AMBIGUOUS);
    await page.click('button[value=preview]');
    await page.getByRole('heading', { name: /Preview:/ }).waitFor();
    expect(await page.textContent('.warnings')).toContain("owner 'Rich' matches 2 attendees");
    await page.screenshot({ path: join(shots, 'upload-preview-laptop.png'), fullPage: true });
    await page.fill('input[name="a.0.owners"]', 'Rich Persaud');
    await page.getByLabel('Promote to action').check();
    await page.click('button[value=preview]');
    expect(await page.inputValue('input[name="a.0.owners"]')).toBe('Rich Persaud');
    await page.click('#save-button');
    await page.getByText(/Saved new meeting/).waitFor();
    expect(page.url()).toMatch(/\/meetings\/\d+$/);
    await page.screenshot({ path: join(shots, 'meeting-laptop.png'), fullPage: true });

    // The saved action carries the picked owner.
    const actions = await s.world.services.actions.list({ series: 'community' });
    const review = actions.find((a) => a.text.startsWith('review the release notes'))!;
    expect(review.owners.map((o) => o.name)).toEqual(['Rich Persaud']);
    expect(actions.some((a) => a.text.includes('write the announcement'))).toBe(true);

    // Close an action from its page.
    await page.goto(`${s.url}/actions/${review.id}`);
    await page.fill('#close-note', 'sent to the list');
    await page.getByRole('button', { name: 'Close action' }).click();
    await page.getByText(`Action #${review.id} closed.`).waitFor();
    expect((await s.world.services.actions.get(review.id)).status).toBe('done');
    expect(await page.textContent('.history')).toContain('sent to the list');

    // Close one from the list, without leaving it.
    await page.goto(`${s.url}/actions?series=community`);
    const first = (await s.world.services.actions.list({ series: 'community', status: 'open' }))[0];
    await page.getByRole('button', { name: `Close action #${first.id}` }).click();
    await page.getByText(`Action #${first.id} closed.`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/actions');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('on a phone, a note-taker says who an unresolved name is from the dashboard', async () => {
    const nell = await s.world.services.people.create({ name: 'Nell Notes', email: 'nell@example.org' });
    await s.world.services.auth.setRole(nell.id, 'notetaker');
    const minutes = '# Build call 2026-10-07\n\n## Attendees\n\n- Ada Lovelace\n\n## Build\n\nACTION: Bob to fix the nightly build\n';
    await s.api('notetaker', '/api/meetings?series=build', { method: 'POST', body: minutes, headers: { 'content-type': 'text/markdown' } });
    const robert = await s.world.services.people.create({ name: 'Robert Builder' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInByLink(s, page, 'nell@example.org');
    await page.goto(`${s.url}/`);
    const form = page.locator('form.resolve', { has: page.locator('input[name=name][value="Bob"]') });
    await form.getByLabel('This is…').selectOption({ label: 'Robert Builder' });
    await form.getByRole('button', { name: 'Link' }).click();
    await page.getByText('"Bob" is Robert Builder: 1 action linked.').waitFor();
    await page.screenshot({ path: join(shots, 'resolved-phone.png'), fullPage: true });
    const action = (await s.world.services.actions.list({ series: 'build' }))[0];
    expect(action.owners).toEqual([expect.objectContaining({ name: 'Robert Builder', personId: robert.id })]);
    expect((await s.world.services.people.get(robert.id)).aliases).toEqual(['Bob']);
    await context.close();
  });

  test('pages read well at laptop and phone widths (screenshots)', async () => {
    await s.api('notetaker', '/api/meetings?series=sync', { method: 'POST', body: simpleMinutes('2026-10-01', 'DECISION: move the call to Thursdays\n'), headers: { 'content-type': 'text/markdown' } });
    const grace = await s.world.services.people.find('Grace Hopper');
    await s.world.services.people.update(grace.id, { email: 'grace@example.org' });
    const meeting = (await s.world.services.search.meetings({ series: 'sync' }))[0];
    for (const [label, viewport] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await signInByLink(s, page, 'grace@example.org');
      for (const [name, path] of [['dashboard', '/'], ['actions', '/actions'], ['meeting', `/meetings/${meeting.id}`], ['people', '/people'], ['search', '/search?q=release'], ['mine', '/actions/mine'], ['action', `/actions/${(await s.world.services.actions.list({ series: 'sync' }))[0].id}`]] as const) {
        const res = await page.goto(s.url + path);
        // The page itself, not an error page that happens to fit the screen.
        expect(res?.status(), `${name} at ${label}`).toBe(200);
        expect(await page.locator('h1').first().isVisible(), `${name} at ${label}: a visible heading`).toBe(true);
        // Nothing wider than the screen: no sideways scrolling on a phone.
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow, `${name} at ${label}`).toBeLessThanOrEqual(1);
        await page.screenshot({ path: join(shots, `${name}-${label}.png`), fullPage: true });
      }
      await context.close();
    }
  });
});
