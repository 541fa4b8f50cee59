import type { Services } from '../container.js';
import { startInboundListener, type InboundListener } from './inbound-listener.js';
import { startReminderScheduler } from './reminder-scheduler.js';

export interface MailJobs {
  /** The port the reply listener bound (when `INBOUND_SMTP_PORT` is set; 0 binds a free one). */
  inboundPort: number | null;
  stop(): Promise<void>;
}

/**
 * The server's mail jobs, started by `startServer`: the reminder schedule (`REMIND_CRON`), the
 * outbox flush loop, and the reply listener when `INBOUND_SMTP_PORT` is set. `stop()` ends
 * them and closes the SMTP pool. A taken inbound port fails start-up (configuration error).
 */
export async function startMailJobs(services: Services, log?: (line: string) => void): Promise<MailJobs> {
  const { config } = services;
  const scheduler = await startReminderScheduler({ reminders: services.reminders, outbox: services.outbox, cron: config.remindCron, log });
  let inbound: InboundListener | null = null;
  if (config.inboundSmtpPort !== undefined) {
    try {
      inbound = await startInboundListener(services.replies, { port: config.inboundSmtpPort, host: config.host, log });
    } catch (err) {
      scheduler.stop();
      throw new Error(`cannot listen for replies on ${config.host}:${config.inboundSmtpPort}: ${(err as Error).message}`);
    }
  }
  return {
    inboundPort: inbound?.port ?? null,
    async stop() {
      scheduler.stop();
      await inbound?.close();
      await services.outbox.idle();
      services.mailer.close();
    },
  };
}
