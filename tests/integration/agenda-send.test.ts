import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/clock.js';
import { openWorld, sharedDir, type TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

// `--send`: the agenda goes to the series' list through the outbox and a real SMTP server on
// loopback, once per meeting.

let sink: SmtpSink;
let world: TestWorld;

beforeEach(async () => {
  sink = await startSmtpSink();
  world = openWorld({ clock: fixedClock('2016-12-20T12:00:00Z'), env: { SMTP_URL: sink.url } });
  await world.services.series.upsert({
    slug: 'openxt',
    name: 'OpenXT Community Call',
    cadence: 'FREQ=MONTHLY;BYDAY=3TH',
    listEmail: 'openxt@lists.example.org',
  });
  await world.services.imports.importText(readFileSync(join(sharedDir, 'examples/openxt-2016-12-15.md'), 'utf8'), { series: 'openxt', source: 'cli' });
});
afterEach(async () => {
  world.services.mailer.close();
  world.close();
  await sink.close();
});

describe('sending the agenda', () => {
  it('mails the list once per meeting, with a text and an HTML part', async () => {
    const first = await world.services.agenda.send({ series: 'openxt' });
    expect(first).toMatchObject({ status: 'queued', to: 'openxt@lists.example.org', date: '2017-01-19' });
    const [mail] = await sink.waitFor(1);
    expect(mail.to).toEqual(['openxt@lists.example.org']);
    expect(mail.subject).toBe('Agenda: OpenXT Community Call - Thursday, 19 January 2017');
    expect(mail.text).toContain('## Open actions (6)');
    expect(mail.html).toContain('<h2>Open actions (6)</h2>');

    const again = await world.services.agenda.send({ series: 'openxt' });
    expect(again.status).toBe('already-sent');
    await world.services.outbox.flush();
    expect(sink.received).toHaveLength(1);

    // Another meeting is another agenda.
    expect((await world.services.agenda.send({ series: 'openxt', date: '2017-02-16' })).status).toBe('queued');
    await sink.waitFor(2);
  });

  it('refuses a series without a mailing list, naming the option', async () => {
    await world.services.series.upsert({ slug: 'quiet', name: 'Quiet', cadence: 'FREQ=MONTHLY;BYDAY=1MO' });
    await expect(world.services.agenda.send({ series: 'quiet' })).rejects.toThrow(/no mailing list: set one with series add --list EMAIL/);
    expect(await world.db.prepare('SELECT count(*) AS n FROM agenda_sends').get()).toEqual({ n: 0 });
  });
});
