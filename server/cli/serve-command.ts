import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startServer } from '../index.js';

/** `minutes serve`: the web server (`npm start`). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web server')
    .action(async () => {
      const opts = program.opts<{ dataDir?: string }>();
      const config = loadConfig(undefined, { dataDir: opts.dataDir });
      const running = await startServer(config);
      console.log(`Minutes is listening on ${running.url} (data in ${config.dataDir})`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          running.close().then(resolve, resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
