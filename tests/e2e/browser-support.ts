/**
 * What the browser tests share: Debian's chromium driven by playwright-core, the screenshots
 * folder, and a context signed in as a new person (the session cookie the sign-in link sets).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/http/auth-middleware.js';
import { signCookie, type TestServer } from '../integration/http-support.js';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`tests/e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
/** Where the tests leave screenshots to look at (`MINUTES_SCREENSHOTS`, else the system temp dir). */
export const shots = process.env.MINUTES_SCREENSHOTS ?? join(tmpdir(), 'minutes-screenshots');

/** Headless chromium, as in CI (no sandbox: CI runs as root); creates the screenshots folder. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new person with `role` (and `email`, if given) and a browser context signed in as them. */
export async function signedInContext(
  s: TestServer,
  browser: Browser,
  opts: { name: string; role: 'member' | 'notetaker' | 'admin'; viewport: { width: number; height: number }; email?: string | null; javaScriptEnabled?: boolean },
): Promise<BrowserContext> {
  const p = await s.world.services.people.create({ name: opts.name, email: opts.email ?? null });
  if (opts.role !== 'member') await s.world.services.auth.setRole(p.id, opts.role);
  const context = await browser.newContext({ viewport: opts.viewport, javaScriptEnabled: opts.javaScriptEnabled ?? true });
  const value = signCookie(await s.world.services.sessions.create(p.id), s.world.config.secret);
  await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(value), url: s.url }]);
  return context;
}

/** Signs in through the real flow: form -> email in the outbox -> link -> confirm. */
export async function signInByLink(s: TestServer, page: Page, email: string): Promise<void> {
  await page.goto(`${s.url}/sign-in`);
  await page.fill('#email', email);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const mail = (await s.world.services.outbox.listRecent(50)).find((m) => m.kind === 'sign-in' && m.to === email);
  const link = /https?:\/\/\S+\/sign-in\/\S+/.exec(mail!.text)![0];
  await page.goto(s.url + new URL(link).pathname);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/Signed in as/).waitFor();
}
