import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { printJson, withContext } from './context.js';

const ROLES = ['admin', 'notetaker', 'member'] as const;
type Role = (typeof ROLES)[number];

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
    .action(async (o: { role: string; name?: string; person?: string; json?: boolean }) => {
      if (!ROLES.includes(o.role as Role)) throw new AppError('bad-role', `--role must be admin, notetaker or member, got '${o.role}'`);
      await withContext(program.opts(), ({ services }) => {
        const personId = o.person ? services.people.find(o.person).id : null;
        const created = services.tokens.create({ role: o.role as Role, name: o.name ?? null, personId });
        if (o.json) printJson(created);
        else {
          process.stdout.write(`${created.token}\n`);
          process.stderr.write(`token ${created.id} (${created.role}${created.name ? `, ${created.name}` : ''}) created; it is not shown again\n`);
        }
      });
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'machine output')
    .action(async (o: { json?: boolean }) => {
      await withContext(program.opts(), ({ services }) => {
        const rows = services.tokens.list();
        if (o.json) return printJson(rows);
        for (const t of rows) {
          process.stdout.write(`${t.id}\t${t.role}\t${t.name ?? '-'}\t${t.createdAt}\t${t.revokedAt ? 'revoked' : t.lastUsedAt ? `used ${t.lastUsedAt}` : 'unused'}\n`);
        }
      });
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (from token list)')
    .action(async (id: string) => {
      const n = Number(id);
      if (!Number.isInteger(n) || n <= 0) throw new AppError('bad-input', `token id must be a positive integer, got '${id}'`);
      await withContext(program.opts(), ({ services }) => {
        services.tokens.revoke(n);
        process.stdout.write(`token ${n} revoked\n`);
      });
    });
}
