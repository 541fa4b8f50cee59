import { z } from 'zod';

// The same rule the people directory applies when an address is typed in (people-service),
// so "valid in the directory" and "can be reminded" never disagree. Imports and older rows
// can still hold anything, which is why the reminder pass checks again.
const emailSchema = z.email();

/**
 * True when `address` is one plain mailbox we can send to (`ross@example.org`); false for
 * empty, a name without `@`, two addresses in one field, a display-name form, spaces.
 */
export function isDeliverableAddress(address: string | null | undefined): address is string {
  return typeof address === 'string' && address !== '' && emailSchema.safeParse(address).success;
}
