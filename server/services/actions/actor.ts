import type { PolicyActor } from '../../../domain/action-policy.js';

/** Where a change came from; recorded on every action event. */
export type ActorSource = 'import' | 'web' | 'api' | 'cli' | 'email' | 'reply' | 'system';

/**
 * Who made a change, and with which rights (`role`, `boundToPerson`: see
 * `domain/action-policy.ts`, which the action service applies to every change). `personId` is
 * null when the change cannot be tied to a directory entry (the CLI run by an operator, an
 * API token tied to nobody); `label` is what history shows then.
 */
export interface Actor extends PolicyActor {
  label: string;
  source: ActorSource;
}

/**
 * The actor of CLI commands: the operator at the terminal. It acts as `admin`: whoever runs
 * the CLI opens the database file directly and could change anything anyway.
 */
export const cliActor = (label = process.env.USER || 'cli'): Actor => ({ personId: null, role: 'admin', label, source: 'cli' });
