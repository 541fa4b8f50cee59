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
  const first = w.services.people.create({ name: 'Sam Lee', email: 'sam@example.org' });
  // A second record of the same name makes "Sam Lee" ambiguous for the import.
  w.db.prepare(`INSERT INTO people (name, name_key, created_at, updated_at) VALUES ('Sam Lee', 'sam lee', 'x', 'x')`).run();
  const r = await w.services.imports.importText(minutes, { series: 'sync', source: 'cli' });
  const [action] = r.actions;
  expect(w.services.people.unresolved().map((u) => [u.name, u.actions.length, u.attended.length])).toEqual([['Sam Lee', 1, 1]]);

  const done = w.services.people.resolveName('SAM LEE', first.id, cliActor('ops'));
  expect(done).toMatchObject({ name: 'SAM LEE', actionIds: [action.id], attendance: 1, aliasAdded: false, aliasNote: null, person: { id: first.id, aliases: [] } });
  expect(w.services.people.unresolved()).toEqual([]);
  const view = w.services.actions.get(action.id);
  expect(view.owners).toEqual([expect.objectContaining({ personId: first.id, name: 'Sam Lee' })]);
  expect(view.events.at(-1)).toMatchObject({ kind: 'edited', note: "'Sam Lee' is Sam Lee", actor: { label: 'ops', source: 'cli' } });
  expect(() => w.services.people.resolveName('Sam Lee', first.id, cliActor())).toThrow(expect.objectContaining({ code: 'name-not-unresolved', status: 404 }));
  expect(() => w.services.people.resolveName('  ', first.id, cliActor())).toThrow(expect.objectContaining({ code: 'bad-input' }));
});

it('a merged record resolves to the person it was merged into', async () => {
  await w.services.imports.importText(minutes.replace('Sam Lee to', 'Sammy to'), { series: 'sync', source: 'cli' });
  const dup = w.services.people.create({ name: 'Samuel Lee' });
  const kept = w.services.people.create({ name: 'Samuel L.' });
  w.services.people.merge(dup.id, kept.id);
  const done = w.services.people.resolveName('Sammy', dup.id, cliActor());
  expect(done.person.id).toBe(kept.id);
  expect(done.person.aliases).toContain('Sammy');
});

it('removes an alias by its folded form; a missing alias is a 404', () => {
  const p = w.services.people.create({ name: 'José Núñez', aliases: ['Pepe', 'jnunez'] });
  expect(w.services.people.removeAlias(p.id, 'PEPE').aliases).toEqual(['jnunez']);
  expect(() => w.services.people.find('Pepe')).toThrow(expect.objectContaining({ code: 'person-not-found' }));
  expect(() => w.services.people.removeAlias(p.id, 'Pepe')).toThrow(expect.objectContaining({ code: 'alias-not-found', status: 404 }));
  expect(() => w.services.people.removeAlias(p.id, '--')).toThrow(expect.objectContaining({ code: 'bad-input' }));
});
