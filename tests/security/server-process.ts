/**
 * The server under attack: the built CLI's `minutes serve` as a child process on a free port,
 * over a fresh data folder, mail captured to files (no SMTP_URL). Helpers to become its first
 * admin, get an API token, time another client's requests and read the process's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli, tempDataDir } from '../helpers/env.js';
import { Browser } from '../integration/http-support.js';

export const SECRET = 'test-secret-0123456789abcdef-0123456789';

export interface ServerProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resident memory of the server process, in MB (Linux /proc). */
  rssMb(): number;
  /** A browser signed in as the first admin (through the one-time link `serve` printed). */
  admin(): Promise<Browser>;
  /** An API token with the role, made with `minutes token create`. */
  token(role: 'admin' | 'notetaker' | 'member'): Promise<string>;
  stop(): Promise<number | null>;
}

/** Starts `minutes serve`; resolves once it prints its address. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const d = tempDataDir('minutes-sec-');
  const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', d.dir, 'serve'], {
    env: { ...process.env, PORT: '0', MINUTES_SECRET: SECRET, SMTP_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && /Mail is not sent|\n\n/.test(out)) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  let adminBrowser: Browser | null = null;
  return {
    url,
    dataDir: d.dir,
    child,
    output: () => out,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    async admin() {
      if (adminBrowser) return adminBrowser;
      const link = /one-time link[^\n]*\n\s+(\S+)/.exec(out)![1];
      const b = new Browser(url);
      const path = new URL(link).pathname;
      await b.get(path);
      const done = await b.post(path, { name: 'Ada Admin', email: 'ada@example.org' });
      if (done.res.status !== 303) throw new Error(`could not sign in as the first admin: ${done.res.status}`);
      adminBrowser = b;
      return b;
    },
    async token(role) {
      const made = await runCli(['token', 'create', '--role', role, '--name', `sec ${role}`], { dataDir: d.dir, env: { MINUTES_SECRET: SECRET } });
      if (made.code !== 0) throw new Error(made.stderr);
      return made.stdout.trim();
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      d.cleanup();
      return code;
    },
  };
}

/**
 * Another client, in its own process (so the test's own work does not skew it): requests
 * `path` one after another until `stop()`, which returns the latencies in ms (a failed or
 * timed-out request counts as 10 s).
 */
export function timeOtherClient(url: string, path: string, headers: Record<string, string> = {}): { stop(): Promise<number[]> } {
  const script = `
    const times = [];
    let running = true;
    process.on('message', () => { running = false; });
    // The test process went away (killed, timed out): stop polling rather than linger.
    process.on('disconnect', () => process.exit(0));
    (async () => {
      while (running) {
        const t0 = performance.now();
        try {
          const res = await fetch(${JSON.stringify(url + path)}, { headers: ${JSON.stringify(headers)}, signal: AbortSignal.timeout(10000) });
          await res.arrayBuffer();
          times.push(performance.now() - t0);
        } catch { times.push(10000); }
        await new Promise((r) => setTimeout(r, 20));
      }
      process.send(times, () => process.exit(0));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise<number[]>((resolve) => child.once('message', (m) => resolve(m as number[])));
  return {
    async stop() {
      child.send('stop');
      return result;
    },
  };
}

/** The `q` quantile (0..1) of `xs`. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}
