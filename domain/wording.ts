/** Words for people to read, shared by pages, emails and the CLI. */

/** "1 action", "3 actions"; `many` for the irregular plurals ("2 people"). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
