/** `minutes people resolve NAME PERSON`: the CLI twin of the dashboard's "This is…" form. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDataDir } from '../helpers/env.js';

let tmp: ReturnType<typeof tempDataDir>;
let data: string;
const cli = (...args: string[]) => runCli(args, { dataDir: data });

const minutes = (date: string, action: string) => `# Build call ${date}

## Attendees

- Ada Lovelace

## Build

ACTION: ${action}
`;

beforeAll(() => {
  tmp = tempDataDir('minutes-cli-resolve-');
  data = join(tmp.dir, 'data');
});
afterAll(() => tmp.cleanup());

async function importFile(name: string, text: string) {
  const file = join(tmp.dir, name);
  writeFileSync(file, text);
  const r = await cli('import', file, '--series', 'build', '--json');
  expect(r.code, r.stderr).toBe(0);
}

const ownersOf = async (start: string) => {
  const r = await cli('actions', '--status', 'all', '--json');
  const list = JSON.parse(r.stdout) as { text: string; owners: { name: string; personId: number | null }[] }[];
  return list.find((a) => a.text.startsWith(start))!.owners.map((o) => ({ name: o.name, resolved: o.personId !== null }));
};

it('links the unresolved name, makes it an alias, and the next import resolves it', async () => {
  await importFile('2026-10-01.md', minutes('2026-10-01', 'Bob to fix the nightly build'));
  expect(await ownersOf('fix the nightly build')).toEqual([{ name: 'Bob', resolved: false }]);
  expect((await cli('people', 'add', 'Robert Builder', '--email', 'rob@example.org')).code).toBe(0);

  const bad = await cli('people', 'resolve', 'Zed', 'Robert Builder');
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toBe("minutes: no unresolved owner or attendee is named 'Zed'");
  const nobody = await cli('people', 'resolve', 'Bob', 'Nobody Here');
  expect(nobody.code).toBe(1);
  expect(nobody.stderr.trim()).toBe("minutes: no person named 'Nobody Here'");

  const r = await cli('people', 'resolve', 'Bob', 'Robert Builder');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^'Bob' is #\d+ Robert Builder \(rob@example\.org; aka Bob\): 1 action linked \(#\d+\); 'Bob' is now an alias\n$/);
  expect(await ownersOf('fix the nightly build')).toEqual([{ name: 'Robert Builder', resolved: true }]);
  const unresolved = await cli('people', 'unresolved');
  expect(unresolved.stdout).not.toMatch(/^Bob:/m);

  await importFile('2026-10-08.md', minutes('2026-10-08', 'Bob to publish the release'));
  expect(await ownersOf('publish the release')).toEqual([{ name: 'Robert Builder', resolved: true }]);
}, 120_000);
