import express from 'express';
import type { Services } from './container.js';
import { errorHandler, notFoundHandler } from './http/error-middleware.js';

/** Builds the Express app over the services. Does not listen (server/index.ts does). */
export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
