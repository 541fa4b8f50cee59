import type { Command } from 'commander';

// The command's work (validation, services, database) is in token-run.ts, loaded when it runs.
const run = () => import('./token-run.js');

/** `minutes token create|list|revoke`: API tokens for `Authorization: Bearer`. */
export function register(program: Command): void {
  const token = program.command('token').description('API tokens (Authorization: Bearer)');
  token
    .command('create')
    .description('create a token and print it once (only its SHA-256 is stored)')
    .requiredOption('--role <role>', 'admin, notetaker or member')
    .option('--name <name>', 'a label to recognise it by')
    .option('--person <idOrName>', "act as this person (a member's token may then change their own actions)")
    .option('--json', 'machine output')
    .action(async (o: { role: string; name?: string; person?: string; json?: boolean }) => (await run()).createToken(program.opts(), o));
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'machine output')
    .action(async (o: { json?: boolean }) => (await run()).listTokens(program.opts(), o));
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (from token list)')
    .action(async (id: string) => (await run()).revokeToken(program.opts(), id));
}
