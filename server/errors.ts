/**
 * The one error type services throw. The HTTP error middleware and the CLI turn it into
 * `{"error": {code, message, details}}` with `status`, or a one-line message.
 */
export class AppError extends Error {
  constructor(
    /** kebab-case, stable: clients branch on it. */
    public readonly code: string,
    message: string,
    /** HTTP status that fits the failure. */
    public readonly status = 400,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: unknown) =>
  new AppError('not-found', `${what} ${String(id)} does not exist`, 404);

export const badInput = (message: string, details?: unknown) =>
  new AppError('bad-input', message, 400, details);
