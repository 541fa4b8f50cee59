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

/** The actor of CLI commands: the operator at the terminal. */
export const cliActor = (label = process.env.USER || 'cli'): Actor => ({ personId: null, label, source: 'cli' });
