/**
 * Threat: a name that reaches the agenda email to the mailing list (a series name, the chair,
 * a co-owner in "with ...") is written as a Markdown link, so the list receives a link whose
 * words hide where it goes. Before the fix these three were not escaped.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/clock.js';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { seeder } from '../helpers/reminder-seed.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink;
let world: TestWorld;

beforeEach(async () => {
  sink = await startSmtpSink();
  world = openWorld({ clock: fixedClock('2026-11-20T12:00:00Z'), env: { SMTP_URL: sink.url } });
});
afterEach(async () => {
  world.services.mailer.close();
  world.close();
  await sink.close();
});

describe('the agenda email to the list', () => {
  it('shows planted Markdown links in names as text, never as links', async () => {
    const s = seeder(world.db);
    const chair = await s.person('[Your chair](https://evil.example/chair)', { email: 'chair@example.org' });
    const series = await s.series('call', '[Official call](https://evil.example/series)', chair);
    await world.db.prepare("UPDATE series SET list_email = 'list@example.org', cadence = 'FREQ=WEEKLY;BYDAY=TH' WHERE id = ?").run(series);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    await s.action({ meetingId: await s.meeting(series, '2026-11-12'), text: 'write the doc', owners: [ross, '[Reset your password](https://evil.example/pw)'] });

    const sent = await world.services.agenda.send({ series: 'call' });
    expect(sent.status).toBe('queued');
    const [mail] = await sink.waitFor(1);

    // No link in the HTML part goes to the planted address...
    expect(mail.html).not.toMatch(/<a [^>]*href="https:\/\/evil\.example\/(chair|series|pw)"[^>]*>(?!https)/);
    expect(mail.html).not.toMatch(/>(Your chair|Official call|Reset your password)<\/a>/);
    // ...the words are shown as written, with their brackets.
    expect(mail.html).toContain('[Official call](');
    expect(mail.html).toContain('[Your chair](');
    expect(mail.html).toContain('[Reset your password](');
    // The plain-text part reads as the names were written (escaped brackets only).
    expect(mail.text).toContain('with \\[Reset your password\\](https://evil.example/pw)');
    expect(mail.text).toContain('Chair: \\[Your chair\\](https://evil.example/chair)');
  });
});
