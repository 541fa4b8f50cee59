/**
 * Browser tests (real Chromium) for the editable upload preview, at a laptop and a phone width:
 * a real corpus file (JupyterHub team meeting, eight ownerless TODOs) is pasted, its actions
 * fixed in the preview (owners through the type-ahead, a due date, a text, a drop), a
 * decision dropped and a suggestion promoted; the meeting page then shows exactly that.
 * Refused forms (an impossible date on the upload, a bad due date in the preview, the people
 * form) come back with the reason next to the field and what was typed.
 * Skipped when /usr/bin/chromium is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../integration/http-support.js';
import { haveChromium, launchChromium, shots, signedInContext } from './browser-support.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/jupyterhub-team-2018-12-20.md');
const haveCorpus = existsSync(CORPUS);

let s: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  s = await startTestServer();
  await s.world.services.people.create({ name: 'Carol Willing', email: 'carol@example.org' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** A browser context signed in as a new note-taker. */
const signedIn = (name: string, width: number, height: number) => signedInContext(s, browser, { name, role: 'notetaker', viewport: { width, height } });

/** The real minutes plus a wrap-up with two decisions and one lower-confidence find (lines after the file's own). */
const minutes = () =>
  readFileSync(CORPUS, 'utf8').replace(/\n*$/, '\n') +
  '\n## Wrap-up\n\nDECISION: move the January call to the 10th\n\nDECISION: keep the notes in the team-compass repo\n\nMin will review the Outreachy blog post.\n';

/** The preview card of the item on `line` in the list under `heading`. */
const card = (page: Page, line: number) => page.locator('ol.edit-list').first().locator('li.edit-item').filter({ has: page.locator('.edit-meta', { hasText: new RegExp(`^line ${line}\\b`) }) });

async function noHorizontalScroll(page: Page) {
  const wide = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((e) => e.tagName + '#' + e.id + '.' + e.className).slice(0, 8).join(' ')`);
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, String(wide)).toBeLessThanOrEqual(0);
}

/** Every visible control of the preview's cards is at least 40 px tall (fingers on a phone). */
async function tallControls(list: Locator) {
  const heights = (await list.evaluate((el) =>
    [...el.querySelectorAll('input[type=text], input[type=date], textarea, fieldset.choice label')].map((c) => Math.round(c.getBoundingClientRect().height)),
  )) as number[];
  expect(heights.length).toBeGreaterThan(0);
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(40);
}

describe.skipIf(!haveChromium || !haveCorpus)('editable upload preview in a browser', () => {
  test('without JavaScript: plain form posts fix an owner and a due date, and save them', async () => {
    const context = await signedInContext(s, browser, { name: 'No Script', role: 'notetaker', viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${s.url}/upload`);
    await page.fill('#u-series', 'jhub-nojs');
    await page.fill('#u-text', minutes());
    await page.getByRole('button', { name: 'Preview' }).click();
    await card(page, 102).getByLabel('Owners').fill('Carol Willing');
    await card(page, 102).getByLabel('Due').fill('2019-01-10');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved new meeting: 8 actions and 2 decisions.').waitFor();
    const a = (await s.world.services.actions.list({ series: 'jhub-nojs' })).find((x) => x.text.startsWith('create team-compass issue'))!;
    expect([a.owners.map((o) => o.name), a.due]).toEqual([['Carol Willing'], '2019-01-10']);
    await context.close();
  });

  for (const [label, width, height] of [['laptop', 1280, 800], ['phone', 375, 740]] as const) {
    test(`${label}: fix owners (type-ahead and a new name), due, text, drop, promote; the meeting shows exactly that`, async () => {
      const series = `jhub-${label}`;
      const newName = label === 'laptop' ? 'Dana Newcomer' : 'Dana Newman';
      const context = await signedIn(`Preview ${label}`, width, height);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));

      await page.goto(`${s.url}/upload`);
      await page.fill('#u-series', series);
      await page.fill('#u-text', minutes());
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: /^Preview: JupyterHub and BinderHub Team Meeting/ }).waitFor();
      await page.getByRole('heading', { name: 'Actions (8)' }).waitFor();
      // Eight ownerless actions, each said so, each with an owner field to fill.
      expect(await page.locator('li.edit-item .badge', { hasText: 'no owner' }).count()).toBe(8);
      const first = card(page, 57);
      expect(await first.getByLabel('Owners').inputValue()).toBe('');
      await noHorizontalScroll(page);
      await tallControls(page.locator('ol.edit-list').first());
      await page.screenshot({ path: join(shots, `upload-preview-editable-${label}.png`), fullPage: true });

      // A directory person through the type-ahead: typing "Car" offers Carol Willing.
      const owners = first.getByLabel('Owners');
      await owners.pressSequentially('Car');
      const offered = first.locator('datalist option[value="Carol Willing"]');
      await offered.waitFor({ state: 'attached' });
      await owners.fill('Carol Willing');
      // A new name, not in the directory, next to an attendee of the minutes.
      await card(page, 78).getByLabel('Owners').fill(`${newName}, Min`);
      await card(page, 84).getByLabel('Due').fill('2019-01-17');
      await card(page, 85).getByLabel('Action').fill('Write a blog post on the RStudio proxying');
      await card(page, 121).getByText('Drop', { exact: true }).click();
      const decision = page.locator('li.edit-item', { hasText: 'keep the notes in the team-compass repo' });
      await decision.getByText('Drop', { exact: true }).click();
      const suggestion = page.locator('li.edit-item', { hasText: 'review the Outreachy blog post' });
      await suggestion.getByText('Promote to action').click();

      // Preview again: the edits are kept and shown as the result.
      await page.getByRole('button', { name: 'Preview again' }).click();
      await page.getByRole('heading', { name: 'Actions (8 of 9: 1 dropped)' }).waitFor();
      expect(await card(page, 57).getByLabel('Owners').inputValue()).toBe('Carol Willing');
      expect(await card(page, 78).getByLabel('Owners').inputValue()).toBe(`${newName}, Min`);
      expect(await card(page, 84).getByLabel('Due').inputValue()).toBe('2019-01-17');
      expect(await card(page, 85).getByLabel('Action').inputValue()).toBe('Write a blog post on the RStudio proxying');
      expect(await card(page, 121).getByLabel('Drop').isChecked()).toBe(true);
      expect(await card(page, 78).textContent()).toContain(`new in the directory: ${newName}`);
      expect(await card(page, 78).textContent()).not.toContain('action has no owner');
      await page.getByRole('heading', { name: 'Decisions (1 of 2: 1 dropped)' }).waitFor();
      const promoted = card(page, minutes().split('\n').findIndex((l) => l.startsWith('Min will review')) + 1);
      expect(await promoted.textContent()).toContain('promoted suggestion');
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(shots, `upload-preview-edited-${label}.png`), fullPage: true });
      await card(page, 78).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `upload-preview-edited-${label}-viewport.png`) });

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved new meeting: 8 actions and 1 decision.').waitFor();
      // The meeting page: exactly what the preview said.
      const items = page.locator('section.meeting-items');
      const actionsList = items.locator('ul.plain').first();
      const line = (text: string) => actionsList.locator('li', { hasText: text });
      expect(await actionsList.locator('li').count()).toBe(8);
      expect(await line('Open an issue to discuss providing').textContent()).toContain('Carol Willing');
      expect(await line('Find a use-case to motivate extensibility').textContent()).toContain(`${newName}, Min`);
      expect(await line("let's find some use-cases").textContent()).toContain('due 2019-01-17');
      expect(await line('Write a blog post on the RStudio proxying').count()).toBe(1);
      expect(await line('Write up the current design').count()).toBe(0);
      expect(await line('We should invite them to this meeting').count()).toBe(0);
      expect(await line('review the Outreachy blog post').textContent()).toContain('Min');
      const decisions = items.locator('ul.plain').nth(1);
      expect((await decisions.locator('li').allTextContents()).map((t) => t.replace(/\s+line \d+$/, '').trim())).toEqual(['move the January call to the 10th']);
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(shots, `upload-saved-meeting-${label}.png`), fullPage: true });
      // The owners as stored: the directory person linked, the new name as written.
      const stored = await s.world.services.actions.list({ series });
      const carol = stored.find((a) => a.text.startsWith('Open an issue'))!;
      expect(carol.owners).toEqual([expect.objectContaining({ name: 'Carol Willing', personId: expect.any(Number) })]);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);

    test(`${label}: an impossible date on the upload and a bad due date in the preview are refused next to the field, nothing lost`, async () => {
      const series = `jhub-refused-${label}`;
      const context = await signedIn(`Refused ${label}`, width, height);
      const page = await context.newPage();
      await page.goto(`${s.url}/upload`);
      await page.fill('#u-series', series);
      const text = '# Team notes\n\n## Build\n\nACTION: Ann to send the slides\n';
      await page.fill('#u-text', text);
      // An old browser shows a plain text box for the date: 30 February is typed.
      await page.locator('#u-date').evaluate((el) => el.setAttribute('type', 'text'));
      await page.fill('#u-date', '2019-02-30');
      await page.getByRole('button', { name: 'Preview' }).click();
      const error = page.locator('#u-date-error');
      await error.waitFor();
      expect(await error.textContent()).toBe('Date: not a date on the calendar.');
      expect(await page.inputValue('#u-text')).toBe(text);
      expect(await page.inputValue('#u-series')).toBe(series);
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(shots, `upload-impossible-date-${label}.png`), fullPage: true });

      // The day fixed: the preview. Its due field gets an impossible day the same way.
      await page.fill('#u-date', '2019-02-28');
      await page.getByRole('button', { name: 'Preview' }).click();
      const row = card(page, 5);
      await row.getByLabel('Owners').fill('Ann Other');
      await row.getByLabel('Due').evaluate((el) => el.setAttribute('type', 'text'));
      await row.getByLabel('Due').fill('2019-02-31');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Nothing was saved: fix the field marked below, then save.').waitFor();
      expect(await row.locator('.field-error').textContent()).toBe('Due date: "2019-02-31" is not a day of the calendar (YYYY-MM-DD).');
      expect(await row.getByLabel('Owners').inputValue()).toBe('Ann Other');
      expect((await s.world.services.series.list()).map((x) => x.slug)).not.toContain(series);
      await page.screenshot({ path: join(shots, `upload-preview-refused-${label}.png`), fullPage: true });
      await row.getByLabel('Due').fill('2019-03-01');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved new meeting: 1 action and 0 decisions.').waitFor();
      const [saved] = await s.world.services.actions.list({ series });
      expect([saved.owners.map((o) => o.name), saved.due]).toEqual([['Ann Other'], '2019-03-01']);

      // Another form refused: the action's edit form, an impossible due day, the typed text kept.
      await page.goto(`${s.url}/actions/${saved.id}`);
      await page.getByText('Edit text, due date, owners').click();
      await page.fill('#e-text', 'send the slides to the list');
      await page.locator('#e-due').evaluate((el) => el.setAttribute('type', 'text'));
      await page.fill('#e-due', '2019-04-31');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('#e-due-error').waitFor();
      expect(await page.locator('#e-due-error').textContent()).toBe('Not saved: Due date: not a date on the calendar.');
      expect(await page.inputValue('#e-text')).toBe('send the slides to the list');
      expect(await page.inputValue('#e-owners')).toBe('Ann Other');
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(shots, `action-edit-refused-${label}.png`), fullPage: true });
      expect((await s.world.services.actions.get(saved.id)).text).toBe('send the slides');
      await context.close();
    });
  }

  for (const [label, width, height] of [['laptop', 1280, 800], ['phone', 375, 740]] as const) {
    test(`${label}: a revision that moves every line keeps the corrections, says so, and the meeting's anchors follow`, async () => {
      const series = `jhub-rev-${label}`;
      const context = await signedIn(`Reviser ${label}`, width, height);
      const page = await context.newPage();
      await page.goto(`${s.url}/upload`);
      await page.fill('#u-series', series);
      await page.fill('#u-text', minutes());
      await page.getByRole('button', { name: 'Preview' }).click();
      await card(page, 57).getByLabel('Owners').fill('Carol Willing');
      await card(page, 84).getByLabel('Due').fill('2019-01-17');
      await card(page, 121).getByText('Drop', { exact: true }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(/^Saved new meeting/).waitFor();

      // The same minutes with three lines added at the top and one action reworded.
      const lines = minutes().split('\n');
      lines.splice(1, 0, '', 'Notes taken by Tim; corrected after the call.', '');
      const revised = lines.join('\n').replace('create team-compass issue to talk about this', 'open a team-compass issue to talk about this');
      await page.goto(`${s.url}/upload`);
      await page.fill('#u-series', series);
      await page.fill('#u-text', revised);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByText(/Changes against the stored revision 1/).waitFor();
      const changes = (await page.locator('section', { hasText: 'Changes against the stored revision 1' }).first().innerText()).replace(/\s+/g, ' ');
      expect(changes).toMatch(/correction kept: action .Open an issue to discuss[^]*owners \(Carol Willing\)/);
      expect(changes).toMatch(/correction kept: action .let.s find some use-cases[^]*due date \(2019-01-17\)/);
      expect(changes).toMatch(/correction kept: action .We should invite them to this meeting!.: dropped/);
      expect(changes).toMatch(/action changed: #\d+ open a team-compass issue/);
      // The kept owner is in the row, at the new line, without its "no owner" warning.
      expect(await card(page, 60).getByLabel('Owners').inputValue()).toBe('Carol Willing');
      expect(await card(page, 60).locator('.edit-warn').count()).toBe(0);
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(shots, `upload-revision-preview-${label}.png`), fullPage: true });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(/^Saved revision 2: .*3 earlier corrections kept/).waitFor();

      // The meeting page: each kept item links to its new line, and that line carries the anchor.
      const [carol] = (await s.world.services.actions.list({ series })).filter((a) => a.text.startsWith('Open an issue to discuss'));
      expect([carol.owners.map((o) => o.name), carol.line]).toEqual([['Carol Willing'], 60]);
      expect(await page.locator(`a[href="#L60"]`).count()).toBeGreaterThan(0);
      expect(await page.locator('#L60').count()).toBe(1);
      await context.close();
    });
  }
});
