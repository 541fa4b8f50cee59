import type { Request, RequestHandler, Response } from 'express';
import express from 'express';
import multer from 'multer';
import { AppError } from '../errors.js';
import type { MinutesRenderer } from '../adapters/minutes-renderer.js';
import { MAX_UPLOAD_BYTES, toAppError } from './error-middleware.js';
import { parseCorrections, parseCorrectionsJson } from '../services/meetings/corrections-schema.js';
import type { Corrections } from '../services/meetings/import-overrides.js';

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

/** The minutes of an uploaded file: its text (`decodeUpload`) and its name, if it has one. */
export function fileMinutes(file: Express.Multer.File): { text: string; filename: string | null } {
  return { text: decodeUpload(file.buffer, `file '${file.originalname}'`), filename: file.originalname || null };
}

/** Refuses blank text (pasted forms). */
export function checkText(text: string, what = 'the minutes'): string {
  if (text.trim() === '') throw new AppError('input-empty', `${what} is empty; paste or upload the minutes`, 400);
  return text;
}

/**
 * Limits of a multipart body, checked while it streams (busboy): one file of 2 MB, fields of
 * 2 MB each but at most `MAX_FORM_FIELDS` of them (the upload preview sends an owner pick per
 * action), and the whole body at most `MAX_MULTIPART_BYTES` by its Content-Length, refused
 * before a byte is parsed. Only the routes that take files read multipart (`readMultipart`),
 * after sign-in and role checks; everywhere else a multipart body is never parsed.
 */
export const MAX_FORM_FIELDS = 2000;
export const MAX_MULTIPART_BYTES = 2 * MAX_UPLOAD_BYTES + 512 * 1024;
const multipartLimits = {
  fileSize: MAX_UPLOAD_BYTES,
  fieldSize: MAX_UPLOAD_BYTES,
  files: 1,
  fields: MAX_FORM_FIELDS,
  parts: MAX_FORM_FIELDS + 1,
  fieldNameSize: 100,
  headerPairs: 20,
};
const fileUpload = multer({ storage: multer.memoryStorage(), limits: multipartLimits }).single('file');

/**
 * Reads a multipart body (one `file` field plus form fields) within the limits above: 411 when
 * it has no Content-Length (so its size is known before reading), 413 when that or any part is
 * over a limit. Does nothing for other content types.
 */
export function readMultipart(req: Request, res: Response): Promise<void> {
  if (!req.is('multipart/form-data')) return Promise.resolve();
  const length = req.headers['content-length'];
  if (length === undefined) {
    return Promise.reject(new AppError('length-required', 'a multipart upload needs a Content-Length header', 411));
  }
  if (Number(length) > MAX_MULTIPART_BYTES) {
    return Promise.reject(
      new AppError('payload-too-large', `the upload is larger than ${(MAX_MULTIPART_BYTES / 1024 / 1024).toFixed(1)} MB in all`, 413, { limitBytes: MAX_MULTIPART_BYTES }),
    );
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const settle = (answer: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      answer();
    };
    // multer 2.5 with busboy 1.6 never calls back for some malformed bodies (parts after the
    // closing boundary; multer issue #719): the request would wait forever. Once the whole body
    // has been read, an answer still missing after two seconds means such a body.
    req.once('end', () => {
      watchdog = setTimeout(() => settle(() => reject(new AppError('bad-upload', 'the multipart body could not be read: it is malformed (parts after its closing boundary?)', 400))), MULTIPART_STALL_MS);
    });
    fileUpload(req, res, (err?: unknown) =>
      settle(() => {
        if (!err) return resolve();
        // busboy's own errors (a truncated or malformed body) are the client's: 400 saying so.
        if (err instanceof multer.MulterError || err instanceof AppError || !(err instanceof Error)) return reject(toAppError(err));
        reject(new AppError('bad-upload', `the multipart body could not be read: ${err.message.slice(0, 100).toLowerCase()}`, 400));
      }),
    );
  });
}

/** How long after the last byte of a multipart body multer may take to answer (it answers in ms). */
const MULTIPART_STALL_MS = 2000;
const rawText = express.raw({ type: TEXT_TYPES, limit: MAX_UPLOAD_BYTES });

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The minutes text read by `readMinutesBody`, the file name when one was sent, and corrections when sent. */
      minutes?: { text: string; filename: string | null; corrections?: Corrections };
    }
  }
}

/**
 * A JSON body of `POST /api/meetings`: `{"text": "...", "filename"?: "...", "corrections"?: {...}}`
 * (already parsed by `express.json` on `/api`).
 */
function readJsonMinutes(body: unknown): { text: string; filename: string | null; corrections?: Corrections } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw new AppError('bad-input', 'the JSON body must be an object {"text": "...", "corrections": {...}}', 400);
  const unknown = Object.keys(b).filter((k) => !['text', 'filename', 'corrections'].includes(k));
  if (unknown.length) throw new AppError('bad-input', `the JSON body has a field it does not know (${unknown.slice(0, 3).join(', ')}); it may hold text, filename, corrections`, 400);
  if (typeof b.text !== 'string') throw new AppError('input-empty', 'the JSON body needs "text": the minutes as a string', 400);
  if (b.filename !== undefined && (typeof b.filename !== 'string' || b.filename.length > 255)) {
    throw new AppError('bad-input', 'filename must be a file name of at most 255 characters', 400);
  }
  const text = checkText(b.text.replace(/^\uFEFF/, ''));
  if (text.includes('\u0000')) throw new AppError('input-binary', 'the minutes hold NUL characters; send Markdown or plain text', 415);
  return { text, filename: (b.filename as string | undefined) || null, corrections: b.corrections === undefined ? undefined : parseCorrections(b.corrections) };
}

/**
 * Reads the minutes of `POST /api/meetings`: a `text/markdown` (or `text/plain`) body, the
 * multipart field `file` (with an optional `corrections` field holding JSON), or a JSON body
 * `{text, filename?, corrections?}`. Anything else is 415 naming what is accepted.
 */
export const readMinutesBody: RequestHandler = (req, res, next) => {
  const done = (err?: unknown) => {
    if (err) return next(err);
    try {
      if (req.file) {
        req.minutes = fileMinutes(req.file);
        const field = (req.body as Record<string, unknown> | undefined)?.corrections;
        if (typeof field === 'string' && field.trim()) req.minutes.corrections = parseCorrectionsJson(field, "the form field 'corrections'");
      } else if (req.is('application/json')) {
        req.minutes = readJsonMinutes(req.body);
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
  if (req.is('multipart/form-data')) return void readMultipart(req, res).then(() => done(), done);
  if (req.is('application/json')) return done();
  if (req.is(TEXT_TYPES)) {
    const charset = /charset=([^;]+)/i.exec(type)?.[1]?.trim().toLowerCase().replace(/"/g, '');
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      return next(new AppError('bad-encoding', `charset ${charset} is not supported; send UTF-8`, 415));
    }
    return rawText(req, res, done);
  }
  next(
    new AppError(
      'unsupported-media-type',
      `send the minutes as ${TEXT_TYPES.join(', ')}, multipart/form-data with a field 'file', or application/json {"text": ...} (got ${type.split(';')[0]})`,
      415,
    ),
  );
};

/**
 * Formats the uploaded text once in the render worker (which also caches the outcome for the
 * meeting page) and, when it will be shown as plain text, adds a warning saying so.
 */
export async function warnIfUnformattable(renderer: MinutesRenderer, text: string, result: { warnings: { line: number; message: string }[] }): Promise<void> {
  const { plainReason } = await renderer.render(text);
  if (plainReason) result.warnings.unshift({ line: 1, message: `the meeting page will show these minutes as plain text: ${plainReason}` });
}
