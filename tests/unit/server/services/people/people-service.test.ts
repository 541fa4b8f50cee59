import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';

let w: TestWorld;
beforeEach(() => {
  w = openWorld({ clock: fixedClock('2024-03-01T09:00:00Z') });
});
afterEach(() => w.close());

describe('people service', () => {
  it('creates people with aliases and finds them case- and accent-insensitively', async () => {
    const p = await w.services.people.create({ name: 'José Núñez', email: 'jose@example.org', aliases: ['jnunez', 'Pepe'], org: 'Citrix' });
    expect(p).toMatchObject({ name: 'José Núñez', email: 'jose@example.org', org: 'Citrix', kind: 'person', aliases: ['jnunez', 'Pepe'] });
    expect((await w.services.people.find('JOSE NUNEZ')).id).toBe(p.id);
    expect((await w.services.people.find('pepe')).id).toBe(p.id);
    expect((await w.services.people.findByEmail('JOSE@example.org'))?.id).toBe(p.id);
    await expect(w.services.people.create({ name: 'jose nunez' })).rejects.toThrow(expect.objectContaining({ code: 'person-exists', status: 409 }));
    await expect(w.services.people.create({ name: 'Other', email: 'jose@example.org' })).rejects.toThrow(expect.objectContaining({ code: 'email-taken' }));
    await expect(w.services.people.create({ name: '  ' })).rejects.toThrow(expect.objectContaining({ code: 'bad-input' }));
  });

  it('upserts by name: fills in the email of a person an import created', async () => {
    const first = await w.services.people.upsert({ name: 'Ross Philipson' });
    expect(first.created).toBe(true);
    const again = await w.services.people.upsert({ name: 'ross philipson', email: 'ross@example.org', aliases: ['Ross'] });
    expect(again.created).toBe(false);
    expect(again.person).toMatchObject({ id: first.person.id, email: 'ross@example.org', aliases: ['Ross'] });
  });

  it('refuses an alias that already names someone else, and ambiguous names', async () => {
    const a = await w.services.people.create({ name: 'Rich Persaud', aliases: ['Rich'] });
    await w.services.people.create({ name: 'Rich Turner' });
    await expect(w.services.people.addAlias('Rich Turner', 'rich')).rejects.toThrow(expect.objectContaining({ code: 'alias-taken' }));
    await expect(w.services.people.upsert({ name: 'Rich Turner', aliases: ['RICH'] })).rejects.toThrow(expect.objectContaining({ code: 'alias-taken' }));
    await expect(w.services.people.create({ name: 'Richard Roe', aliases: ['Rich Persaud'] })).rejects.toThrow(expect.objectContaining({ code: 'alias-taken' }));
    await w.services.people.create({ name: 'Sam Lee' });
    await w.db.prepare(`INSERT INTO people (name, name_key, created_at, updated_at) VALUES ('Sam Lee', 'sam lee', 'x', 'x')`).run();
    await expect(w.services.people.find('Sam Lee')).rejects.toThrow(expect.objectContaining({ code: 'ambiguous-name' }));
    expect((await w.services.people.find(String(a.id))).name).toBe('Rich Persaud');
  });

  it('merges a duplicate: aliases, attendance and ownership move; the old name becomes an alias', async () => {
    const r = await w.services.imports.importText(
      '# Call 2024-03-07\n\n## Attendees\n\n- R Philipson\n- James McKenzie\n\n## Notes\n\nACTION: R Philipson to write the RFC\n',
      { series: 's' },
    );
    const dup = await w.services.people.find('R Philipson');
    await w.services.people.addAlias(dup.id, 'rphil');
    const keep = await w.services.people.create({ name: 'Ross Philipson', email: 'ross@example.org' });
    const merged = await w.services.people.merge('R Philipson', keep.id);
    expect(merged.aliases.sort()).toEqual(['R Philipson', 'rphil']);
    expect((await w.services.actions.get(r.actions[0].id)).owners).toEqual([{ personId: keep.id, name: 'Ross Philipson', email: 'ross@example.org' }]);
    expect((await w.services.search.meeting(r.meeting.id)).attendees[0].personId).toBe(keep.id);
    expect((await w.services.people.list()).map((p) => p.name)).not.toContain('R Philipson');
    expect((await w.services.people.get(dup.id)).id).toBe(keep.id); // the old id answers the merged record
    expect((await w.services.repos.people.get(dup.id))?.mergedIntoId).toBe(keep.id);
    await expect(w.services.people.merge(keep.id, keep.id)).rejects.toThrow(expect.objectContaining({ code: 'same-person' }));
  });

  it('keeps the address of a merged duplicate as an alias that findByEmail still answers', async () => {
    const a = await w.services.people.create({ name: 'Ross P', email: 'ross@work.example' });
    const b = await w.services.people.create({ name: 'Ross Philipson', email: 'ross@home.example' });
    await w.services.people.merge(a.id, b.id);
    expect((await w.services.people.findByEmail('ross@home.example'))?.id).toBe(b.id);
    expect((await w.services.people.findByEmail('ROSS@work.example'))?.id).toBe(b.id);
    expect(await w.services.people.findByEmail('nobody@example.org')).toBeNull();
  });
});
