/** PeopleService.resolveName / removeAlias over a real database (the import writes the rows). */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';
import { cliActor } from '../../../../../server/services/actions/actor.js';

let w: TestWorld;
beforeEach(() => {
  w = openWorld({ clock: fixedClock('2024-03-01T09:00:00Z') });
});
afterEach(() => w.close());

const minutes = `# Sync 2024-02-29

## Attendees

- Sam Lee
- Ada Lovelace

## Work

ACTION: Sam Lee to renew the certificates
`;

it('links unresolved attendance and owners, records the edit, and skips an alias that is the name itself', async () => {
  const first = await w.services.people.create({ name: 'Sam Lee', email: 'sam@example.org' });
  // A second record of the same name makes "Sam Lee" ambiguous for the import.
  await w.db.prepare(`INSERT INTO people (name, name_key, created_at, updated_at) VALUES ('Sam Lee', 'sam lee', 'x', 'x')`).run();
  const r = await w.services.imports.importText(minutes, { series: 'sync', source: 'cli' });
  const [action] = r.actions;
  expect((await w.services.people.unresolved()).map((u) => [u.name, u.actions.length, u.attended.length])).toEqual([['Sam Lee', 1, 1]]);

  const done = await w.services.people.resolveName('SAM LEE', first.id, cliActor('ops'));
  expect(done).toMatchObject({ name: 'SAM LEE', actionIds: [action.id], attendance: 1, aliasAdded: false, aliasNote: null, person: { id: first.id, aliases: [] } });
  expect(await w.services.people.unresolved()).toEqual([]);
  const view = await w.services.actions.get(action.id);
  expect(view.owners).toEqual([expect.objectContaining({ personId: first.id, name: 'Sam Lee' })]);
  expect(view.events.at(-1)).toMatchObject({ kind: 'edited', note: "'Sam Lee' is Sam Lee", actor: { label: 'ops', source: 'cli' } });
  await expect(w.services.people.resolveName('Sam Lee', first.id, cliActor())).rejects.toThrow(expect.objectContaining({ code: 'name-not-unresolved', status: 404 }));
  await expect(w.services.people.resolveName('  ', first.id, cliActor())).rejects.toThrow(expect.objectContaining({ code: 'bad-input' }));
});

it('a merged record resolves to the person it was merged into', async () => {
  await w.services.imports.importText(minutes.replace('Sam Lee to', 'Sammy to'), { series: 'sync', source: 'cli' });
  const dup = await w.services.people.create({ name: 'Samuel Lee' });
  const kept = await w.services.people.create({ name: 'Samuel L.' });
  await w.services.people.merge(dup.id, kept.id);
  const done = await w.services.people.resolveName('Sammy', dup.id, cliActor());
  expect(done.person.id).toBe(kept.id);
  expect(done.person.aliases).toContain('Sammy');
});

it('removes an alias by its folded form; a missing alias is a 404', async () => {
  const p = await w.services.people.create({ name: 'José Núñez', aliases: ['Pepe', 'jnunez'] });
  expect((await w.services.people.removeAlias(p.id, 'PEPE')).aliases).toEqual(['jnunez']);
  await expect(w.services.people.find('Pepe')).rejects.toThrow(expect.objectContaining({ code: 'person-not-found' }));
  await expect(w.services.people.removeAlias(p.id, 'Pepe')).rejects.toThrow(expect.objectContaining({ code: 'alias-not-found', status: 404 }));
  await expect(w.services.people.removeAlias(p.id, '--')).rejects.toThrow(expect.objectContaining({ code: 'bad-input' }));
});
