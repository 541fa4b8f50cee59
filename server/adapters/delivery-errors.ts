/**
 * Sorts a send failure into temporary (retry with backoff) or permanent (mark failed, a
 * person retries by hand). SMTP says it plainly with its reply code: 4xx try again later,
 * 5xx do not. Without a reply code the failure is about the connection (refused, reset,
 * timed out, DNS) and so temporary.
 */
export interface DeliveryFailure {
  permanent: boolean;
  /** One line for `last_error`: code and message, never the message body. */
  message: string;
}

const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EAUTH']);

export function classifyDeliveryError(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as { responseCode?: number; code?: string; message?: string; response?: string };
  const text = oneLine(e.response ?? e.message ?? String(err));
  if (typeof e.responseCode === 'number') {
    return { permanent: e.responseCode >= 500, message: `${e.responseCode} ${text}` };
  }
  const code = e.code ?? 'ERROR';
  return { permanent: PERMANENT_CODES.has(code), message: `${code} ${text}` };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * Delay before attempt `attempts + 1`: one minute, doubling, capped at six hours. After
 * `MAX_ATTEMPTS` temporary failures the row is marked failed (about a day of trying).
 */
export function backoffMs(attempts: number): number {
  const base = 60_000 * 2 ** Math.max(0, attempts - 1);
  return Math.min(base, 6 * 3_600_000);
}

export const MAX_ATTEMPTS = 12;
