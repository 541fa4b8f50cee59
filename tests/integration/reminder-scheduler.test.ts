import { afterEach, describe, expect, it } from 'vitest';
import { databaseEnv, tempDataDir } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { daysAgo, seeder } from '../helpers/reminder-seed.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/index.js';

describe('the reminder schedule inside the server', () => {
  let sink: SmtpSink | undefined;
  let running: RunningServer | undefined;
  const data = tempDataDir();
  afterEach(async () => {
    await running?.close();
    await sink?.close();
    data.cleanup();
  });

  it('runs a pass on REMIND_CRON, sends once per period, and stops with the server', async () => {
    sink = await startSmtpSink();
    const config = loadConfig({
      ...await databaseEnv(data.dir),
      MINUTES_DATA_DIR: data.dir, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', PORT: '0',
      SMTP_URL: sink.url, REMIND_CRON: '* * * * * *', // every second
    });
    running = await startServer(config);
    const s = seeder(running.services.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    await s.action({ meetingId: await s.meeting(await s.series('x', 'X'), daysAgo(5)), text: 'do the thing', owners: [ross] });
    const [mail] = await sink.waitFor(1, 5000);
    expect(mail.to).toEqual(['ross@example.org']);
    // Several more passes run in the next seconds; none sends again this period.
    await new Promise((r) => setTimeout(r, 2500));
    expect(sink.received).toHaveLength(1);
    await running.close();
    running = undefined;
  });

  it('fails to start with a clear error when REMIND_CRON is not a cron pattern', async () => {
    const config = loadConfig({ ...await databaseEnv(data.dir), MINUTES_DATA_DIR: data.dir, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', PORT: '0', REMIND_CRON: 'every monday' });
    await expect(startServer(config)).rejects.toThrow(/REMIND_CRON/);
  });
});
