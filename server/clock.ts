/** The one source of "now" for services; tests pass a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stuck at `iso` (for `--now` and tests). */
export const fixedClock = (iso: string | Date): Clock => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new Error(`not a date-time: ${String(iso)}`);
  return { now: () => new Date(at) };
};
