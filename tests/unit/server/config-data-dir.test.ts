import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';

const SECRET = 'test-secret-0123456789abcdef-0123456789';
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder', () => {
  const made: string[] = [];
  const folder = (entries: string[]) => {
    const root = mkdtempSync(join(tmpdir(), 'minutes-datadir-'));
    made.push(root);
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755); // as `git clone` leaves ./data
    for (const e of entries) writeFileSync(join(dir, e), '');
    return dir;
  };
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is made owner-only when it came with the repository (0755, only .gitkeep)', () => {
    const dir = folder(['.gitkeep']);
    loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: SECRET });
    expect(mode(dir)).toBe(0o700);
  });

  it('is left alone when it holds files that are not ours (a shared folder keeps its mode)', () => {
    const dir = folder(['.gitkeep', 'someone-elses-notes.txt']);
    loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: SECRET });
    expect(mode(dir)).toBe(0o755);
  });
});
