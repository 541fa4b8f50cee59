/**
 * Browser tests of the feeds part: the type-ahead owner picker, pages of actions and the
 * due-date calendar address, at laptop and phone widths, in a real Chromium.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { haveChromium, launchChromium, signInByLink } from './browser-support.js';
import { startTestServer, type TestServer } from '../integration/http-support.js';
import { seeder } from '../helpers/reminder-seed.js';


let s: TestServer;
let browser: Browser;
let actionId: number;
let nora: number;

beforeAll(async () => {
  if (!haveChromium) return;
  s = await startTestServer();
  const seed = seeder(s.world.db);
  const m = await seed.meeting(await seed.series('community', 'Community call'), '2026-03-05');
  for (let i = 0; i < 120; i++) await seed.person(`Filler ${String(i).padStart(3, '0')}`);
  await seed.person('Rich Persaud', { email: 'rich@example.org' });
  await seed.person('Richard Turner', { email: 'richard@example.org' });
  nora = (await s.world.services.people.create({ name: 'Nora Notes', email: 'nora@example.org' })).id;
  await s.world.services.auth.setRole(nora, 'notetaker');
  for (let i = 0; i < 60; i++) await seed.action({ meetingId: m, text: `task ${i}`, owners: [nora], due: '2026-12-01' });
  actionId = await seed.action({ meetingId: m, text: 'write the release notes', owners: ['Sam'], due: '2026-12-10' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe.skipIf(!haveChromium)('feeds in a browser', () => {
  for (const [label, viewport] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 375, height: 740 }]] as const) {
    test(`type-ahead owner picker and pages of actions (${label})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signInByLink(s, page, 'nora@example.org');

      // The edit form's owner field offers matching people, not a list of everyone.
      await page.goto(`${s.url}/actions/${actionId}`);
      await page.click('summary:has-text("Edit text, due date, owners")');
      expect(await page.locator('#people-names option').count()).toBe(0);
      await page.fill('#e-owners', '');
      await page.locator('#e-owners').pressSequentially('Ri', { delay: 30 });
      await expect.poll(() => page.locator('#people-names option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).toEqual(['Rich Persaud', 'Richard Turner']);
      // A second owner after a comma completes only the name being typed.
      await page.fill('#e-owners', 'Rich Persaud, Nor');
      await page.locator('#e-owners').pressSequentially('a', { delay: 30 });
      await expect.poll(() => page.locator('#people-names option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).toEqual(['Rich Persaud, Nora Notes']);
      await page.fill('#e-owners', 'Rich Persaud, Nora Notes');
      await page.click('form[action$="/edit"] button[type=submit]');
      await page.getByText(/saved|changed|updated/i).first().waitFor();
      expect((await s.world.services.actions.get(actionId)).owners.map((o) => o.name)).toEqual(['Rich Persaud', 'Nora Notes']);

      // My actions: 50 on a page, a link to the next; the page fits the screen.
      await page.goto(`${s.url}/actions/mine`);
      expect(await page.locator('.page-nav').first().textContent()).toContain('Showing 50 of 61 actions');
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width).toBeLessThanOrEqual(viewport.width);
      await page.getByRole('link', { name: 'Next page »' }).first().click();
      expect(await page.locator('.page-nav').first().textContent()).toContain('Showing 11 of 61 actions');
      await page.getByRole('link', { name: '« First page' }).first().waitFor();

      // The calendar address: made on the person page, shown once with a Copy button.
      await page.goto(`${s.url}/people/${nora}`);
      await page.getByRole('button', { name: /Make a (new|calendar) address/ }).click();
      const url = await page.inputValue('#due-feed-url');
      expect(url).toMatch(/\/people\/\d+\/due\.ics\?key=/);
      await page.getByRole('button', { name: 'Copy' }).waitFor({ state: 'visible' });
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(viewport.width);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
