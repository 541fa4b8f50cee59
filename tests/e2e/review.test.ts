/**
 * Browser tests (real Chromium) for the review queue, month-only meetings and refused forms,
 * at a laptop and a phone width. Skipped when /usr/bin/chromium is missing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../integration/http-support.js';
import { haveChromium, launchChromium, shots, signedInContext } from './browser-support.js';


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

/** A browser context signed in as a new note-taker. */
const signedIn = (name: string, width: number, height: number) => signedInContext(s, browser, { name, role: 'notetaker', viewport: { width, height } });

const MONTH_ONLY = `# September 2017 OpenXT Community Call

Attendees: Ross Philipson, Rich Persaud

## Builds

Rich will look into the nightly build failures.
`;

describe.skipIf(!haveChromium)('review queue and refused forms in a browser', () => {
  for (const [label, width, height] of [['laptop', 1280, 800], ['phone', 375, 740]] as const) {
    test(`${label}: month-only minutes get their day and a suggestion is accepted from /review`, async () => {
      const series = `e2e-review-${label}`;
      const r = await s.world.services.imports.importText(MONTH_ONLY, { series });
      expect(r.meeting.date).toBe('2017-09');
      const context = await signedIn(`Rev ${label}`, width, height);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));

      await page.goto(`${s.url}/meetings/${r.meeting.id}`);
      await page.getByText('September 2017 (day to confirm)').first().waitFor();

      await page.goto(`${s.url}/`);
      await page.getByRole('link', { name: 'to review' }).click();
      await page.getByRole('heading', { name: 'Review' }).waitFor();
      const item = page.locator('li.card', { hasText: 'nightly build failures' }).filter({ hasText: series });
      await expect(item.count()).resolves.toBe(1);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shots, `review-${label}.png`), fullPage: true });
      await item.getByRole('button', { name: 'Accept as action' }).click();
      await page.getByText(/Action #\d+ created\./).waitFor();
      expect(await page.locator('li.card', { hasText: 'nightly build failures' }).filter({ hasText: series }).count()).toBe(0);

      // The day: a wrong month is refused in words on the page; a day of September moves it.
      const dateItem = page.locator('li.card', { hasText: 'give only the month' }).filter({ hasText: series });
      await dateItem.getByLabel('Meeting day').fill('2017-09-14');
      await dateItem.getByRole('button', { name: 'Confirm the day' }).click();
      await page.getByText('Meeting date set to 2017-09-14.').waitFor();
      await page.goto(`${s.url}/meetings/${r.meeting.id}`);
      await page.getByText(/· 2017-09-14 ·/).waitFor();
      expect(errors).toEqual([]);
      await context.close();
    });

    test(`${label}: a refused upload keeps the chosen file and says why next to the date`, async () => {
      const context = await signedIn(`Up ${label}`, width, height);
      const page = await context.newPage();
      await page.goto(`${s.url}/upload`);
      await page.fill('#u-series', `e2e-upload-${label}`);
      await page.setInputFiles('#u-file', { name: 'undated-notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n\nACTION: Ann to send the slides\n') });
      await page.getByRole('button', { name: 'Preview' }).click();
      const error = page.locator('#u-date-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/^No meeting date found.*choose the meeting date$/);
      expect(await page.inputValue('#u-text')).toContain('ACTION: Ann to send the slides');
      expect(await page.inputValue('#u-series')).toBe(`e2e-upload-${label}`);
      await expect(page.getByText(/the text of undated-notes\.md is kept/).count()).resolves.toBe(1);
      await page.screenshot({ path: join(shots, `upload-refused-${label}.png`), fullPage: true });
      const wide = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((e) => e.tagName + '#' + e.id + '.' + e.className).slice(0, 8).join(' ')`);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow, String(wide)).toBeLessThanOrEqual(0);
      // Nothing to choose again: give the date, preview, save.
      await page.fill('#u-date', '2024-05-02');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: /Preview/ }).waitFor();
      await context.close();
    });
  }
});
