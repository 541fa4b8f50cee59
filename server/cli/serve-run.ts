import { loadConfig } from '../config.js';
import { startServer } from '../index.js';
import type { GlobalOptions } from './context.js';

/** `minutes serve`: starts the server and waits for SIGTERM / SIGINT to close it. */
export async function serveCommand(global: GlobalOptions): Promise<void> {
  const config = loadConfig(undefined, { dataDir: global.dataDir });
  const running = await startServer(config);
  console.log(`Minutes is listening on ${running.url} (data in ${config.dataDir})`);
  if (running.bootstrapUrl) {
    // The one secret we print on purpose: without it nobody could sign in the first time.
    console.log(`No admin yet. Open this one-time link to become the admin (valid 24 hours):\n  ${running.bootstrapUrl}`);
  }
  if (!config.smtpUrl) console.log(`Mail is not sent (SMTP_URL unset): read it at ${running.url}/dev/mail`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      console.log('Stopping...');
      running.close().then(resolve, (err: unknown) => {
        console.error(err);
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
