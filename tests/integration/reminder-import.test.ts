import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorld, sharedDir, type TestWorld } from '../helpers/env.js';
import { closeMailWorld, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { fixedClock } from '../../server/clock.js';

/** Real minutes through the import service, then a reminder pass over them. */
describe('reminders over imported minutes (openxt 2016-12-15)', () => {
  let sink: SmtpSink;
  let world: TestWorld;

  beforeEach(async () => {
    sink = await startSmtpSink();
    world = openWorld({ clock: fixedClock('2017-01-09T09:00:00Z'), env: { SMTP_URL: sink.url, MINUTES_BASE_URL: 'https://minutes.example.org' } });
    const text = readFileSync(join(sharedDir, 'examples/openxt-2016-12-15.md'), 'utf8');
    await world.services.imports.importText(text, { series: 'openxt', source: 'cli' });
    const byName = new Map((await world.services.people.list()).map((p) => [p.name, p.id]));
    await world.services.people.update(byName.get('Ross Philipson')!, { email: 'ross@example.org' });
    await world.services.people.update(byName.get('AIS Burlington')!, { email: 'ais@example.org' });
    await world.services.people.update(byName.get('James McKenzie')!, { email: 'james@example.org', remindersPausedUntil: '2017-01-31' });
  });
  afterEach(async () => {
    await closeMailWorld(world, sink);
  });

  it('reminds Ross of his three actions, overdue first, quoting the minutes; the group at its address', async () => {
    const r = await world.services.reminders.run();
    expect(r.delivery?.sent).toBe(2);
    const ross = sink.received.find((m) => m.to.includes('ross@example.org'))!;
    const items = ross.text.match(/^\d\. .*$/gm)!;
    expect(items).toHaveLength(3);
    expect(items[0]).toMatch(/^1\. OVERDUE .*find out by January/);
    expect(ross.text).toContain('Due:     2017-01-01 (overdue)');
    expect(ross.text).toContain('From:    Community Call - 15th December 2016, 2016-12-15, line');
    expect(ross.text).toMatch(/Minutes: "ACTION: Ross and James to write a doc so that Rich can\n {12}start the upstream discussion\."/);
    const ais = sink.received.find((m) => m.to.includes('ais@example.org'))!;
    expect(ais.text).toContain('find out by January');
    // James is paused; the others have no address and are listed instead.
    expect(sink.received.some((m) => m.to.includes('james@example.org'))).toBe(false);
    expect(r.withoutEmail.map((o) => o.name).sort()).toEqual(['Christopher Clark', 'Eric Chanudet', 'Rich Persaud']);
  });
});
