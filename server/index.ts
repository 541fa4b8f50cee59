import type { Server } from 'node:http';
import { loadConfig, type Config } from './config.js';
import { openDatabase } from './db/connection.js';
import { createServices } from './container.js';
import { createApp } from './app.js';

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Entry of `minutes serve`: config -> open db -> migrate -> createApp -> listen, plus the
 * background jobs. Stops cleanly on SIGTERM/SIGINT.
 */
export async function startServer(config: Config = loadConfig()): Promise<RunningServer> {
  const db = openDatabase(config.dbFile);
  const services = createServices({ db, config });
  const app = createApp(services);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.on('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    db.close();
  };
  return { server, url, close };
}
