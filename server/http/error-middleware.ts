import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../errors.js';
import { renderPage } from './render.js';

/** Largest upload accepted anywhere (minutes files, pasted text, JSON bodies). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** 404 for anything no route answered, in the one error shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not-found', `no route for ${req.method} ${req.path}`, 404));
};

/** Turns what libraries throw (body parsers, multer) into an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE') {
      return new AppError('payload-too-large', `the upload is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 413, { limitBytes: MAX_UPLOAD_BYTES });
    }
    if (err.code !== 'LIMIT_UNEXPECTED_FILE') {
      // Too many fields, parts or files, a field name or header too long: 413 naming the limit.
      return new AppError('payload-too-large', `the upload was refused: ${err.message.toLowerCase()}`, 413, { limit: err.code });
    }
    return new AppError('bad-upload', `the upload was not accepted: ${err.message}${err.field ? ` (field '${err.field}')` : ''}`, 400);
  }
  if (err && typeof err === 'object' && 'type' in err) {
    if (err.type === 'entity.too.large') {
      return new AppError('payload-too-large', `the request body is larger than the limit of ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 413, { limitBytes: MAX_UPLOAD_BYTES });
    }
    if (err.type === 'entity.parse.failed') return new AppError('bad-json', 'the request body is not valid JSON', 400);
    if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') {
      return new AppError('bad-encoding', 'the request body must be UTF-8', 415);
    }
  }
  // Client errors of Express and its middleware (a missing static file, a malformed URL):
  // their status, in our shape, without the library's message or stack.
  if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    if (err.status === 404) return new AppError('not-found', 'no such file', 404);
    return new AppError('bad-request', 'the request could not be read', err.status);
  }
  // Never echo unknown errors: they may carry SQL, paths or secrets. The log gets the stack.
  console.error(err);
  return new AppError('internal', 'something went wrong on our side', 500);
}

/** JSON for the API and for clients asking for it; an HTML page for browsers. */
const wantsJson = (req: Request) => req.originalUrl.startsWith('/api/') || req.originalUrl === '/api' || !req.accepts('html');

const HEADINGS: Record<number, string> = {
  400: 'That did not work', 401: 'Please sign in', 403: 'Not allowed', 404: 'Not found',
  409: 'Conflict', 413: 'Too large', 415: 'Unsupported input', 429: 'Slow down', 500: 'Something went wrong',
};

/** Bodies up to this size are drained after an early answer; larger ones close the connection. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * The one error middleware, registered last: `{"error": {code, message, details}}` with the
 * error's status for the API; the same message on an HTML page for browsers (and a redirect
 * to sign-in when a page needs an account).
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = toAppError(err);
  if (res.headersSent) return;
  // Answered before the body was read (too large, not signed in, no CSRF token): a small
  // declared body is read and dropped, so the client gets to read the answer instead of a
  // reset while it is still sending; anything larger or of unknown length closes the
  // connection rather than receive the rest of it.
  if (!req.complete) {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared <= DRAIN_LIMIT_BYTES) req.resume();
    else res.set('Connection', 'close');
  }
  if (!wantsJson(req)) {
    if (appErr.status === 401 && req.method === 'GET') {
      return res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
    }
    res.status(appErr.status);
    return renderPage(res, 'error', {
      title: HEADINGS[appErr.status] ?? 'Error',
      heading: HEADINGS[appErr.status] ?? 'Error',
      message: appErr.message,
      status: appErr.status,
      next: req.originalUrl,
    });
  }
  res.status(appErr.status).json({
    error: { code: appErr.code, message: appErr.message, ...(appErr.details !== undefined ? { details: appErr.details } : {}) },
  });
};
