import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.js';

/** 404 for anything no route answered, in the one error shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not-found', `no route for ${req.method} ${req.path}`, 404));
};

/**
 * The one error middleware, registered last: `{"error": {code, message, details}}` with the
 * error's status. Unknown errors are 500 with a generic message (details go to the log only).
 */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  let appErr: AppError;
  if (err instanceof AppError) appErr = err;
  else if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.too.large') {
    appErr = new AppError('payload-too-large', 'the request body is larger than the limit', 413);
  } else if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') {
    appErr = new AppError('bad-json', 'the request body is not valid JSON', 400);
  } else {
    console.error(err);
    appErr = new AppError('internal', 'something went wrong on our side', 500);
  }
  res.status(appErr.status).json({
    error: { code: appErr.code, message: appErr.message, ...(appErr.details !== undefined ? { details: appErr.details } : {}) },
  });
};
