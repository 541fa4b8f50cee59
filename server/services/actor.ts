/** Where a change came from; recorded on every action event. */
export type ActorSource = 'import' | 'web' | 'api' | 'cli' | 'email' | 'reply' | 'system';

/**
 * Who made a change. `personId` is null when the change cannot be tied to a directory entry
 * (the CLI run by an operator, an import, the scheduler); `label` is what history shows then.
 */
export interface Actor {
  personId: number | null;
  label: string;
  source: ActorSource;
}

export const ACTOR_SOURCES: readonly ActorSource[] = ['import', 'web', 'api', 'cli', 'email', 'reply', 'system'];

/** The actor of CLI commands: the operator at the terminal. */
export const cliActor = (label = process.env.USER || 'cli'): Actor => ({ personId: null, label, source: 'cli' });

/** The actor of import-driven changes (carry-over, closes restated in minutes). */
export const importActor = (label = 'import'): Actor => ({ personId: null, label, source: 'import' });

/** The actor of scheduled jobs. */
export const systemActor: Actor = { personId: null, label: 'system', source: 'system' };
