/**
 * Shared set-up for the HTTP integration tests: the real app over a real SQLite file on an
 * ephemeral port, API tokens per role, and a cookie-keeping browser-like client that reads
 * CSRF tokens from the pages it gets (as a browser submitting a form would).
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { createApp } from '../../server/app.js';
import { SESSION_COOKIE } from '../../server/http/auth-middleware.js';
import type { Clock } from '../../server/clock.js';

import type { Role } from '../../domain/roles.js';

export type { Role };

export interface TestServer {
  world: TestWorld;
  url: string;
  /** A Bearer token per role (created once). */
  tokens: Record<Role, string>;
  /** `fetch` against the server with a role's Bearer token. */
  api(role: Role | null, path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** A person in the directory with the role, and a browser signed in as them. */
  personWithRole(role: Role, name: string, email?: string): Promise<{ id: number; browser: Browser }>;
  close(): Promise<void>;
}

export async function startTestServer(opts: { clock?: Clock; signInLimit?: number; env?: Record<string, string> } = {}): Promise<TestServer> {
  const world = openWorld({ clock: opts.clock, env: opts.env });
  const app = createApp(world.services, { signInLimit: opts.signInLimit ?? 1000 });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const tokens = {
    admin: (await world.services.tokens.create({ role: 'admin', name: 'test admin' })).token,
    notetaker: (await world.services.tokens.create({ role: 'notetaker', name: 'test notetaker' })).token,
    member: (await world.services.tokens.create({ role: 'member', name: 'test member' })).token,
  };
  const api: TestServer['api'] = (role, path, init = {}) => {
    const headers = new Headers(init.headers);
    if (role) headers.set('authorization', `Bearer ${tokens[role]}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(url + path, { ...init, headers, body, redirect: 'manual' });
  };
  return {
    world,
    url,
    tokens,
    api,
    async personWithRole(role, name, email) {
      const p = await world.services.people.create({ name, email: email ?? null });
      if (role !== 'member') await world.services.auth.setRole(p.id, role);
      const browser = new Browser(url);
      browser.setCookie(SESSION_COOKIE, signCookie(await world.services.sessions.create(p.id), world.config.secret));
      return { id: p.id, browser };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      world.services.mailer.close();
      world.close();
    },
  };
}

/** cookie-parser's signed cookie format: `s:<value>.<base64 HMAC-SHA256 without padding>`. */
export function signCookie(value: string, secret: string): string {
  return `s:${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;
}

/** A minimal browser: keeps cookies, follows nothing by itself, finds CSRF tokens in pages. */
export class Browser {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(public readonly base: string) {}

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  /** The `Cookie` header this browser sends (for requests with headers of their own). */
  cookieHeader(): string {
    return this.header();
  }

  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = decodeURIComponent(pair.slice(i + 1));
      if (attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<{ res: Response; html: string }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.header(), accept: 'text/html' }, redirect: 'manual' });
    this.keep(res);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1];
    return { res, html };
  }

  /** Posts a form (urlencoded, or multipart when `form` is FormData) with the page's CSRF token. */
  async post(path: string, form: Record<string, string | string[]> | FormData = {}, opts: { csrf?: string | null } = {}): Promise<{ res: Response; html: string }> {
    if (!this.csrf && opts.csrf === undefined) await this.get('/sign-in');
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    let body: URLSearchParams | FormData;
    if (form instanceof FormData) {
      body = form;
      if (token !== null) body.set('_csrf', token);
    } else {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      if (token !== null) body.set('_csrf', token);
    }
    const res = await fetch(this.base + path, { method: 'POST', body, headers: { cookie: this.header(), accept: 'text/html' }, redirect: 'manual' });
    this.keep(res);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1];
    return { res, html };
  }
}

/** Reads an example minutes file from ../shared/examples. */
export { sharedDir } from '../helpers/env.js';

declare global {
  // Tests read JSON bodies of known shape; `any` here keeps the assertions readable.
  interface Response {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json(): Promise<any>;
  }
}
