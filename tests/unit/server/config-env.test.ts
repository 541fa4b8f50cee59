import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../../../server/config.js';
import { ENV_VARIABLES, loadConfigWithoutSchema } from '../../../server/config-env.js';

const SECRET = 'test-secret-0123456789abcdef-0123456789';

// `minutes actions` builds its configuration without zod when no variable needs checking;
// these pin that the shortcut gives exactly what the schema gives, and is never taken when
// a variable with a real check is set.
describe('configuration without the schema', () => {
  const made: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'minutes-config-env-'));
    made.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('knows every variable of the schema', () => {
    expect([...ENV_VARIABLES].sort()).toEqual(Object.keys(EnvSchema.shape).sort());
  });

  it('gives what the schema gives when only plain variables are set', () => {
    const d = dir();
    for (const env of [
      { MINUTES_DATA_DIR: d },
      { MINUTES_DATA_DIR: d, HOST: '0.0.0.0', REMIND_CRON: '0 8 * * *', PORT: '', UNRELATED: 'x' },
    ]) {
      const fast = loadConfigWithoutSchema(env);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(loadConfig(env));
    }
    expect(loadConfigWithoutSchema({}, { dataDir: d })).toEqual(loadConfig({}, { dataDir: d }));
  });

  it('defers to the schema as soon as a variable needs checking', () => {
    const d = dir();
    for (const [name, value] of [
      ['PORT', '3101'],
      ['PORT', 'abc'],
      ['MINUTES_SECRET', SECRET],
      ['MINUTES_SECRET', 'short'],
      ['MINUTES_BASE_URL', 'not a url'],
      ['SMTP_URL', 'http://x'],
      ['MAIL_FROM', 'a'],
      ['REMIND_AFTER_DAYS', '-1'],
      ['REMIND_EVERY_DAYS', '3'],
      ['ESCALATE_AFTER', '0'],
      ['INBOUND_SMTP_PORT', '2525'],
    ]) {
      expect(loadConfigWithoutSchema({ MINUTES_DATA_DIR: d, [name]: value }), name).toBeNull();
    }
  });

  it('refuses DATABASE_URL without MINUTES_SECRET (instances must share it), before writing a secret file', () => {
    const d = dir();
    expect(() => loadConfig({ MINUTES_DATA_DIR: d, DATABASE_URL: 'postgres://db/minutes' })).toThrow(
      /^invalid configuration: MINUTES_SECRET must be set when DATABASE_URL is/,
    );
    expect(existsSync(join(d, 'secret'))).toBe(false);
    expect(loadConfig({ MINUTES_DATA_DIR: d, DATABASE_URL: 'postgres://db/minutes', MINUTES_SECRET: SECRET }).secret).toBe(SECRET);
  });

  it('refuses an empty secret like the schema path does', () => {
    expect(() => loadConfigWithoutSchema({ MINUTES_DATA_DIR: dir(), MINUTES_SECRET: '  ' })).toThrow(/MINUTES_SECRET is set but empty/);
  });
});
