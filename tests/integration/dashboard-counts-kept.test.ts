import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { fixedClock } from '../../server/clock.js';
import { openDatabase } from '../../server/db/connection.js';
import { ActionListRepository } from '../../server/db/repositories/action-list-repository.js';

/**
 * The dashboard's per-owner counts aggregate every open action, so they are kept between loads
 * while the database's change counter stays: never stale after a commit, whoever made it.
 */
describe('the dashboard counts per owner', () => {
  let w: TestWorld;
  const minutes = (date: string, action: string) => `# Call ${date}\n\n## Attendees\n\n- Ann Lee\n\n## Notes\n\nACTION: Ann Lee to ${action}\n`;
  const openOf = async (name: string) =>
    (await w.services.actions.ownerSummary({ owners: 24, perOwner: 8 })).cards.find((c) => c.name === name)?.open ?? 0;

  let ann: number;
  const peoplePageCount = async () => (await w.services.actions.openCountsByPerson()).get(ann) ?? 0;

  beforeEach(async () => {
    w = openWorld({ clock: fixedClock('2024-03-20T09:00:00Z') });
    ann = (await w.services.people.create({ name: 'Ann Lee' })).id;
    await w.services.imports.importText(minutes('2024-03-07', 'send the slides'), { series: 'team' });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await w.close();
  });

  it('are read once for loads with no commit between, and read again after any commit', async () => {
    const reads = vi.spyOn(ActionListRepository.prototype, 'openOwnerCounts');
    expect(await openOf('Ann Lee')).toBe(1);
    expect(await openOf('Ann Lee')).toBe(1);
    // PostgreSQL's change counter is the cluster's snapshot, which other test files' databases
    // move too (over-invalidating, safe): a kept answer is promised on SQLite only.
    if (w.db.dialect === 'sqlite') expect(reads).toHaveBeenCalledTimes(1);

    // A commit through the services.
    await w.services.imports.importText(minutes('2024-03-14', 'book the room'), { series: 'team' });
    expect(await openOf('Ann Lee')).toBe(2);
    // The people page's counts are the same kept counts.
    expect(await peoplePageCount()).toBe(2);
    // A commit made around them (SQL on the same database).
    await w.db.run(`UPDATE actions SET status = 'done' WHERE text = 'book the room'`);
    expect(await openOf('Ann Lee')).toBe(1);
    if (w.db.dialect === 'sqlite') expect(reads).toHaveBeenCalledTimes(3);

    if (w.db.dialect === 'sqlite') {
      // Another process's commit (the CLI, a second server) on the same file.
      const other = openDatabase(w.config.dbFile);
      await other.run(`UPDATE actions SET status = 'done' WHERE text = 'send the slides'`);
      await other.close();
      expect(await openOf('Ann Lee')).toBe(0);
      expect(await peoplePageCount()).toBe(0);
    }
  });
});
