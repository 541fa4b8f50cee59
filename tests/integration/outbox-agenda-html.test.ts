import { describe, expect, it, onTestFinished } from 'vitest';
import { fixedClock } from '../../server/clock.js';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { closeMailWorld, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { seeder } from '../helpers/reminder-seed.js';

// The agenda email's HTML part is built from the minutes, which anyone who can upload writes.
// It reaches the outbox as HTML (the `agenda` email template prints `it.html` raw), so it
// must come out of the sanitising pipeline: nothing a minutes line says may become markup.

const MINUTES = [
  '# Community Call - 15th December 2016',
  '',
  '## Actions',
  '',
  '* Ross to fix <script>alert(1)</script> in the installer',
  '* James to review <img src=x onerror=alert(2)> handling',
  '* Rich to read [the doc](javascript:alert(3))',
  '',
  '## Decisions',
  '',
  '* Decided: <iframe src="https://evil.example.org"></iframe> is not welcome',
].join('\n');

/** A series whose standing item and whose one meeting's minutes are full of markup. */
async function worldWithMarkup(sink: SmtpSink): Promise<TestWorld> {
  const world = openWorld({ clock: fixedClock('2016-12-20T12:00:00Z'), env: { SMTP_URL: sink.url } });
  await world.services.series.upsert({
    slug: 'call', name: 'The Call', cadence: 'FREQ=MONTHLY;BYDAY=3TH', listEmail: 'call@lists.example.org',
    standingItems: ['Welcome <b onmouseover="alert(4)">everyone</b>'],
  });
  await world.services.imports.importText(MINUTES, { series: 'call', source: 'cli' });
  // Action text that kept its markup (typed in by another path than the parser, which strips
  // tags): the agenda must still show it as text.
  const meetingId = await world.db.prepare('SELECT id FROM meetings').pluck().get() as number;
  await seeder(world.db).action({ meetingId, text: 'patch <script>alert(5)</script> and <img src=x onerror=alert(6)> now', owners: ['Ross'] });
  return world;
}

describe('the agenda email HTML part', () => {
  it('shows markup from minutes, actions and standing items as text: no script, handler, frame or javascript: link', async () => {
    const sink = await startSmtpSink();
    const world = await worldWithMarkup(sink);
    onTestFinished(() => closeMailWorld(world, sink));
    await world.services.agenda.send({ series: 'call' });
    const [mail] = await sink.waitFor(1);
    const html = mail.html as string;
    // Tags in minutes lines are dropped by the parser; the words stay.
    expect(html).toContain('fix alert(1) in the installer');
    expect(html).toContain('review handling');
    // Markup kept in an action's text is shown escaped, as the words it is...
    expect(html).toContain('patch &#x3C;script>alert(5)&#x3C;/script> and &#x3C;img src=x onerror=alert(6)> now');
    expect(html).toContain('Welcome &#x3C;b onmouseover="alert(4)">everyone&#x3C;/b>');
    // ...never as markup.
    expect(html).not.toMatch(/<script|<img|<iframe|<b\b/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
  });
});
