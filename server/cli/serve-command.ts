import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startServer } from '../index.js';

/** `minutes serve`: the web server (`npm start`). Stops cleanly on SIGTERM / SIGINT. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web server (http://localhost:3000 by default)')
    .action(async () => {
      const opts = program.opts<{ dataDir?: string }>();
      const config = loadConfig(undefined, { dataDir: opts.dataDir });
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
    });
}
