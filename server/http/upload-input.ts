import type { RequestHandler } from 'express';
import express from 'express';
import multer from 'multer';
import { AppError } from '../errors.js';
import { MAX_UPLOAD_BYTES } from './error-middleware.js';

/** Content types accepted as a minutes body. */
export const TEXT_TYPES = ['text/markdown', 'text/x-markdown', 'text/plain'];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes of an uploaded minutes file to text, refusing what is not minutes with a message
 * naming the problem: empty, binary (NUL bytes: PDF, Word, images), or not UTF-8.
 */
export function decodeUpload(buf: Uint8Array, what = 'the upload'): string {
  if (buf.length === 0) throw new AppError('input-empty', `${what} is empty; send the minutes as Markdown or plain text`, 400);
  if (buf.length > MAX_UPLOAD_BYTES) {
    throw new AppError('payload-too-large', `${what} is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 413, { limitBytes: MAX_UPLOAD_BYTES });
  }
  if (buf.includes(0)) {
    throw new AppError('input-binary', `${what} looks like a binary file (it holds NUL bytes); send Markdown or plain text, not PDF, Word or images`, 415);
  }
  let text: string;
  try {
    text = strictUtf8.decode(buf);
  } catch {
    throw new AppError('bad-encoding', `${what} is not UTF-8 text; save it as UTF-8 and try again`, 415);
  }
  return checkText(text.replace(/^\uFEFF/, ''), what);
}

/** Refuses blank text (pasted forms). */
export function checkText(text: string, what = 'the minutes'): string {
  if (text.trim() === '') throw new AppError('input-empty', `${what} is empty; paste or upload the minutes`, 400);
  return text;
}

/** Multipart with one `file` field, in memory, capped at 2 MB (the upload API and page forms). */
export const fileUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_UPLOAD_BYTES, files: 1 } }).single('file');
/**
 * Multipart for page forms: like `fileUpload`, but a refused file on `/upload` (over 2 MB) is
 * kept in `res.locals.uploadError` for the upload page to say next to the file field, with
 * the other values kept, instead of ending on the error page.
 */
export const pageFileUpload: RequestHandler = (req, res, next) =>
  fileUpload(req, res, (err?: unknown) => {
    if (err && req.path === '/upload') {
      res.locals.uploadError = err;
      return next();
    }
    next(err);
  });

const rawText = express.raw({ type: TEXT_TYPES, limit: MAX_UPLOAD_BYTES });

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The minutes text read by `readMinutesBody`, and the file name when one was sent. */
      minutes?: { text: string; filename: string | null };
    }
  }
}

/**
 * Reads the minutes of `POST /api/meetings`: a `text/markdown` (or `text/plain`) body, or
 * the multipart field `file`. Anything else is 415 naming what is accepted.
 */
export const readMinutesBody: RequestHandler = (req, res, next) => {
  const done = (err?: unknown) => {
    if (err) return next(err);
    try {
      if (req.file) {
        req.minutes = { text: decodeUpload(req.file.buffer, `file '${req.file.originalname}'`), filename: req.file.originalname || null };
      } else if (Buffer.isBuffer(req.body)) {
        req.minutes = { text: decodeUpload(req.body, 'the request body'), filename: null };
      } else if (req.is('multipart/form-data')) {
        throw new AppError('input-empty', "the multipart body has no field 'file'", 400);
      } else {
        throw new AppError('input-empty', 'the request has no minutes: send text/markdown or a multipart field "file"', 400);
      }
      next();
    } catch (e) {
      next(e);
    }
  };
  const type = req.headers['content-type'];
  if (!type) return done();
  if (req.is('multipart/form-data')) return fileUpload(req, res, done);
  if (req.is(TEXT_TYPES)) {
    const charset = /charset=([^;]+)/i.exec(type)?.[1]?.trim().toLowerCase().replace(/"/g, '');
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      return next(new AppError('bad-encoding', `charset ${charset} is not supported; send UTF-8`, 415));
    }
    return rawText(req, res, done);
  }
  next(new AppError('unsupported-media-type', `send the minutes as ${TEXT_TYPES.join(', ')} or multipart/form-data with a field 'file' (got ${type.split(';')[0]})`, 415));
};
