/**
 * Browser tests (real Chromium) of the series pages, the decision register and the meeting
 * page at laptop (1280×800) and phone (375×740) widths. Screenshots go to $MINUTES_SCREENSHOTS.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../integration/http-support.js';
import { haveChromium, launchChromium, shots, signedInContext } from './browser-support.js';
import { fixedClock } from '../../server/clock.js';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };

let s: TestServer;
let browser: Browser;

/** Long minutes: decisions and a deferred topic, then many paragraphs of text. */
const LONG = `# Core devs call 2026-03-12

## Attendees

- Ada Lovelace
- Grace Hopper

## Docs sprint

Postponed to Oct call.

## Release

DECISION: ship 7.1 in April

ACTION: Ada to tag the release by 2026-03-20

${Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1} of discussion about the release, with enough words to wrap on a phone screen.`).join('\n\n')}
`;

beforeAll(async () => {
  if (!haveChromium) return;
  s = await startTestServer({ clock: fixedClock('2026-03-20T12:00:00Z') });
  browser = await launchChromium();
  await s.world.services.series.upsert({ slug: 'core', name: 'Core devs call', cadence: 'FREQ=WEEKLY;BYDAY=TH', timezone: 'UTC' });
  for (let i = 1; i <= 30; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String(Math.floor((i - 1) / 28) + 1).padStart(2, '0');
    const res = await s.api('notetaker', '/api/meetings?series=core', {
      method: 'POST',
      headers: { 'content-type': 'text/markdown' },
      body: `# Core devs call 2025-${month}-${day}\n\n## Attendees\n\n- Ada Lovelace\n\n## Plans\n\nDECISION: decision number ${i}, a rather long sentence so that the row wraps on a phone screen\n`,
    });
    expect(res.status).toBeLessThan(300);
  }
  const long = await s.api('notetaker', '/api/meetings?series=core', { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: LONG });
  expect(long.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** A browser context signed in as a new person with `role` (session cookie, as after the sign-in link). */
async function signedIn(role: 'member' | 'notetaker', name: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await signedInContext(s, browser, { name, role, viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A refused form answers 400, which Chromium logs as a failed resource: not a page error.
  page.on('console', (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && errors.push(m.text()));
  return { context, page, errors };
}

/** The page is no wider than the viewport (nothing to scroll sideways on a phone). */
const noSidewaysScroll = async (page: Page) => expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(page.viewportSize()!.width);

describe.skipIf(!haveChromium)('series pages in a browser', () => {
  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    test(`create a series from the form, fix a refused field, edit it (${label})`, async () => {
      const { context, page, errors } = await signedIn('notetaker', `Nora ${label}`, viewport);
      const slug = `board-${label}`;
      await page.goto(`${s.url}/series`);
      await page.getByRole('link', { name: 'New series' }).click();
      await page.fill('#s-slug', slug);
      await page.fill('#s-name', `Board call ${label}`);
      await page.selectOption('#s-pattern', 'monthly-nth');
      await page.selectOption('#s-nth', '2');
      await page.selectOption('#s-weekday', 'TU');
      await page.fill('#s-time', '9.30');
      await page.fill('#s-timezone', 'Europe/Berlin');
      await page.fill('#s-standing', 'Budget\nHiring');
      await page.getByRole('button', { name: 'Create series' }).click();
      // Refused: the reason is under the time field, everything typed is still there.
      await expect.poll(() => page.locator('#err-time').textContent()).toContain("time of day '9.30' must be HH:MM");
      expect(await page.inputValue('#s-name')).toBe(`Board call ${label}`);
      expect(await page.inputValue('#s-pattern')).toBe('monthly-nth');
      expect(await page.inputValue('#s-standing')).toBe('Budget\nHiring');
      await page.screenshot({ path: join(shots, `series-refused-${label}.png`), fullPage: true });
      await noSidewaysScroll(page);

      await page.fill('#s-time', '09:30');
      await page.getByRole('button', { name: 'Create series' }).click();
      await page.getByText(`Created Board call ${label}.`).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/series/${slug}`);
      // The next three calls: 2nd Tuesdays after 20 March 2026, at the time in the zone.
      expect((await page.locator('#next-dates li').allTextContents()).map((t) => t.trim())).toEqual([
        '2026-04-14 09:30 Europe/Berlin',
        '2026-05-12 09:30 Europe/Berlin',
        '2026-06-09 09:30 Europe/Berlin',
      ]);
      await page.screenshot({ path: join(shots, `series-page-${label}.png`), fullPage: true });
      await noSidewaysScroll(page);

      // Preview a different cadence without saving, then save it.
      await page.selectOption('#s-pattern', 'monthly-last');
      await page.selectOption('#s-weekday', 'FR');
      await page.getByRole('button', { name: 'Preview next dates' }).click();
      await expect.poll(() => page.locator('#next-dates li').first().textContent()).toContain('2026-03-27');
      expect((await s.world.services.series.get(slug)).cadence).toBe('FREQ=MONTHLY;BYDAY=2TU');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(`Saved Board call ${label}.`).waitFor();
      expect((await s.world.services.series.get(slug)).cadence).toBe('FREQ=MONTHLY;BYDAY=-1FR');

      // The series list and the agenda index link the page.
      await page.goto(`${s.url}/agenda`);
      await page.locator(`a[href="/series/${slug}"]`).click();
      await page.getByRole('heading', { name: `Board call ${label}`, level: 1 }).waitFor();
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  test('a member reads a series without a form', async () => {
    const { context, page } = await signedIn('member', 'Mia Member', PHONE);
    await page.goto(`${s.url}/series/core`);
    expect(await page.locator('dl.facts').textContent()).toContain('weekly on Thursday');
    expect(await page.locator('form.series-form').count()).toBe(0);
    await context.close();
  });
});

describe.skipIf(!haveChromium)('decision register in a browser', () => {
  for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    test(`newest first, filter, Older, link to the line, CSV link (${label})`, async () => {
      const { context, page, errors } = await signedIn('member', `Dee ${label}`, viewport);
      await page.goto(s.url);
      await page.locator('nav[aria-label=Main]').getByRole('link', { name: 'Decisions' }).click();
      await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
      expect(await page.locator('#d-count').textContent()).toBe('31 decisions');
      const first = page.locator('#decisions tbody tr').first();
      expect(await first.textContent()).toContain('ship 7.1 in April');
      expect(await page.locator('#decisions tbody tr').count()).toBe(50 > 31 ? 31 : 50);
      await page.screenshot({ path: join(shots, `decisions-${label}.png`) });
      await noSidewaysScroll(page);

      // Words within, then pages of 10 by the "Older" link.
      await page.fill('#d-q', 'rather long');
      await page.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => page.locator('#d-count').textContent()).toBe('30 decisions');
      await page.goto(`${s.url}/decisions?q=rather+long&limit=10`);
      const firstPage = await page.locator('#decisions tbody td.main').allTextContents();
      await page.getByRole('link', { name: 'Older' }).click();
      const secondPage = await page.locator('#decisions tbody td.main').allTextContents();
      expect(secondPage).toHaveLength(10);
      expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);
      const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
      expect(csv).toBe('/api/decisions?q=rather+long&format=csv');

      // Each decision links to its line in the minutes.
      await page.goto(`${s.url}/decisions?q=april`);
      await page.locator('#decisions tbody td.main a').first().click();
      expect(page.url()).toMatch(/\/meetings\/\d+#L\d+$/);
      const target = (await page.evaluate("document.querySelector(':target')?.textContent ?? ''")) as string;
      expect(target).toContain('ship 7.1 in April');
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe.skipIf(!haveChromium)('meeting page', () => {
  test('on a phone the actions, decisions and topics come before the minutes; on a laptop beside them', async () => {
    const meetingId = (await s.world.services.search.meetings({ q: 'difficulty OR paragraph' })).find((m) => m.date === '2026-03-12')?.id
      ?? (await s.world.services.search.meetings({ series: 'core', from: '2026-03-12', to: '2026-03-12' }))[0].id;
    const phone = await signedIn('member', 'Pat Phone', PHONE);
    await phone.page.goto(`${s.url}/meetings/${meetingId}`);
    const y = async (sel: string) => (await phone.page.locator(sel).boundingBox())!.y;
    const minutesTop = await y('article.minutes');
    expect(await y('#actions')).toBeLessThan(minutesTop);
    expect(await y('#decisions')).toBeLessThan(minutesTop);
    expect(await y('#topics')).toBeLessThan(minutesTop);
    // Within the first two screens, not after thousands of pixels of text.
    expect(await y('#topics')).toBeLessThan(2 * PHONE.height);
    expect(await phone.page.locator('.meeting-items').textContent()).toMatch(/Docs sprint\s*deferred to 2026-10/);
    expect(await phone.page.locator('.meeting-items').textContent()).toContain('ship 7.1 in April');
    await phone.page.screenshot({ path: join(shots, 'meeting-phone.png') });
    // A topic links to its heading in the minutes.
    await phone.page.getByRole('link', { name: 'Docs sprint' }).click();
    expect((await phone.page.evaluate("document.querySelector(':target')?.textContent ?? ''")) as string).toContain('Docs sprint');
    await noSidewaysScroll(phone.page);
    await phone.context.close();

    const laptop = await signedIn('member', 'Lee Laptop', LAPTOP);
    await laptop.page.goto(`${s.url}/meetings/${meetingId}`);
    const items = (await laptop.page.locator('.meeting-items').boundingBox())!;
    const text = (await laptop.page.locator('article.minutes').boundingBox())!;
    expect(items.x).toBeGreaterThan(text.x + text.width - 1);
    expect(Math.abs(items.y - text.y)).toBeLessThan(40);
    await laptop.page.screenshot({ path: join(shots, 'meeting-laptop.png') });
    await laptop.context.close();
  });
});
