import { AppError } from '../errors.js';
import { printJson, type GlobalOptions, withContext } from './context.js';

const ROLES = ['admin', 'notetaker', 'member'] as const;
type Role = (typeof ROLES)[number];

/** `minutes token create`. */
export async function createToken(global: GlobalOptions, o: { role: string; name?: string; person?: string; json?: boolean }): Promise<void> {
  if (!ROLES.includes(o.role as Role)) throw new AppError('bad-role', `--role must be admin, notetaker or member, got '${o.role}'`);
  await withContext(global, async ({ services }) => {
    const personId = o.person ? (await services.people.find(o.person)).id : null;
    const created = await services.tokens.create({ role: o.role as Role, name: o.name ?? null, personId });
    if (o.json) printJson(created);
    else {
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token ${created.id} (${created.role}${created.name ? `, ${created.name}` : ''}) created; it is not shown again\n`);
    }
  });
}

/** `minutes token list`. */
export async function listTokens(global: GlobalOptions, o: { json?: boolean }): Promise<void> {
  await withContext(global, async ({ services }) => {
    const rows = await services.tokens.list();
    if (o.json) return printJson(rows);
    for (const t of rows) {
      process.stdout.write(`${t.id}\t${t.role}\t${t.name ?? '-'}\t${t.createdAt}\t${t.revokedAt ? 'revoked' : t.lastUsedAt ? `used ${t.lastUsedAt}` : 'unused'}\n`);
    }
  });
}

/** `minutes token revoke ID`. */
export async function revokeToken(global: GlobalOptions, id: string): Promise<void> {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) throw new AppError('bad-input', `token id must be a positive integer, got '${id}'`);
  await withContext(global, async ({ services }) => {
    await services.tokens.revoke(n);
    process.stdout.write(`token ${n} revoked\n`);
  });
}
