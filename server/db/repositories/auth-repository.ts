import type { Db } from '../connection.js';
import type { Role } from '../../../domain/roles.js';

export type { Role } from '../../../domain/roles.js';

export interface AccountPerson {
  id: number;
  name: string;
  email: string | null;
  role: Role;
}

export interface SessionRow {
  id: number;
  personId: number;
  expiresAt: string;
  lastSeenAt: string;
}

export interface SignInLinkRow {
  id: number;
  personId: number | null;
  bootstrapRole: 'admin' | null;
  nextPath: string | null;
  expiresAt: string;
  usedAt: string | null;
}

export interface TokenRow {
  id: number;
  role: Role;
  name: string | null;
  personId: number | null;
  personName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface PersonRowDb { id: number; name: string; email: string | null; role: Role | null }

const toPerson = (r: PersonRowDb): AccountPerson => ({ id: r.id, name: r.name, email: r.email, role: r.role ?? 'member' });

/**
 * All SQL of accounts: roles, sessions, sign-in links and API tokens. Secrets arrive here
 * already hashed; this layer never sees a usable token.
 */
export function createAuthRepository(db: Db) {
  const personSelect = `SELECT p.id, p.name, p.email, r.role FROM people p LEFT JOIN person_roles r ON r.person_id = p.id`;
  const s = {
    personById: db.prepare(`${personSelect} WHERE p.id = ?`),
    personByEmail: db.prepare(`${personSelect} WHERE p.email = ? AND p.merged_into_id IS NULL`),
    countAdmins: db.prepare(`SELECT COUNT(*) AS n FROM person_roles r JOIN people p ON p.id = r.person_id
      WHERE r.role = 'admin' AND p.merged_into_id IS NULL`),
    setRole: db.prepare(`INSERT INTO person_roles (person_id, role, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (person_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`),
    roles: db.prepare(`SELECT person_id AS personId, role FROM person_roles`),
    insertSession: db.prepare(`INSERT INTO sessions (id_hash, person_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
    sessionByHash: db.prepare(`SELECT id, person_id AS personId, expires_at AS expiresAt, last_seen_at AS lastSeenAt
      FROM sessions WHERE id_hash = ?`),
    touchSession: db.prepare(`UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`),
    deleteSession: db.prepare(`DELETE FROM sessions WHERE id_hash = ?`),
    deleteExpiredSessions: db.prepare(`DELETE FROM sessions WHERE expires_at < ?`),
    insertLink: db.prepare(`INSERT INTO sign_in_links (token_hash, person_id, bootstrap_role, next_path, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?)`),
    linkByHash: db.prepare(`SELECT id, person_id AS personId, bootstrap_role AS bootstrapRole, next_path AS nextPath,
      expires_at AS expiresAt, used_at AS usedAt FROM sign_in_links WHERE token_hash = ?`),
    useLink: db.prepare(`UPDATE sign_in_links SET used_at = ? WHERE id = ? AND used_at IS NULL`),
    expireBootstrapLinks: db.prepare(`UPDATE sign_in_links SET used_at = ? WHERE bootstrap_role = 'admin' AND used_at IS NULL`),
    insertToken: db.prepare(`INSERT INTO api_tokens (token_hash, role, name, person_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
    tokenByHash: db.prepare(`SELECT t.id, t.role, t.name, t.person_id AS personId, p.name AS personName, t.created_at AS createdAt,
      t.last_used_at AS lastUsedAt, t.revoked_at AS revokedAt FROM api_tokens t LEFT JOIN people p ON p.id = t.person_id WHERE t.token_hash = ?`),
    touchToken: db.prepare(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`),
    listTokens: db.prepare(`SELECT t.id, t.role, t.name, t.person_id AS personId, p.name AS personName, t.created_at AS createdAt,
      t.last_used_at AS lastUsedAt, t.revoked_at AS revokedAt FROM api_tokens t LEFT JOIN people p ON p.id = t.person_id ORDER BY t.id DESC`),
    revokeToken: db.prepare(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
  };

  return {
    async personById(id: number): Promise<AccountPerson | undefined> {
      const r = await s.personById.get(id) as PersonRowDb | undefined;
      return r && toPerson(r);
    },
    async personByEmail(email: string): Promise<AccountPerson | undefined> {
      const r = await s.personByEmail.get(email) as PersonRowDb | undefined;
      return r && toPerson(r);
    },
    async countAdmins(): Promise<number> {
      return (await s.countAdmins.get() as { n: number }).n;
    },
    async setRole(personId: number, role: Role, now: string): Promise<void> {
      await s.setRole.run(personId, role, now);
    },
    /** Explicit roles by person id (people without a row are members). */
    async roles(): Promise<Map<number, Role>> {
      const rows = await s.roles.all() as { personId: number; role: Role }[];
      return new Map(rows.map((r) => [r.personId, r.role]));
    },
    async insertSession(idHash: string, personId: number, now: string, expiresAt: string): Promise<void> {
      await s.insertSession.run(idHash, personId, now, now, expiresAt);
    },
    async sessionByHash(idHash: string): Promise<SessionRow | undefined> {
      return await s.sessionByHash.get(idHash) as SessionRow | undefined;
    },
    async touchSession(id: number, now: string, expiresAt: string): Promise<void> {
      await s.touchSession.run(now, expiresAt, id);
    },
    async deleteSession(idHash: string): Promise<void> {
      await s.deleteSession.run(idHash);
    },
    async deleteExpiredSessions(now: string): Promise<number> {
      return (await s.deleteExpiredSessions.run(now)).changes;
    },
    async insertLink(tokenHash: string, link: { personId: number | null; bootstrapRole: 'admin' | null; nextPath: string | null }, now: string, expiresAt: string): Promise<void> {
      await s.insertLink.run(tokenHash, link.personId, link.bootstrapRole, link.nextPath, now, expiresAt);
    },
    async linkByHash(tokenHash: string): Promise<SignInLinkRow | undefined> {
      return await s.linkByHash.get(tokenHash) as SignInLinkRow | undefined;
    },
    /** Marks a link used; false when someone used it first (the one-time guarantee). */
    async useLink(id: number, now: string): Promise<boolean> {
      return (await s.useLink.run(now, id)).changes === 1;
    },
    async expireBootstrapLinks(now: string): Promise<void> {
      await s.expireBootstrapLinks.run(now);
    },
    async insertToken(tokenHash: string, role: Role, name: string | null, personId: number | null, now: string): Promise<number> {
      return ((await s.insertToken.get(tokenHash, role, name, personId, now)) as { id: number }).id;
    },
    async tokenByHash(tokenHash: string): Promise<TokenRow | undefined> {
      return await s.tokenByHash.get(tokenHash) as TokenRow | undefined;
    },
    async touchToken(id: number, now: string): Promise<void> {
      await s.touchToken.run(now, id);
    },
    async listTokens(): Promise<TokenRow[]> {
      return await s.listTokens.all() as TokenRow[];
    },
    async revokeToken(id: number, now: string): Promise<boolean> {
      return (await s.revokeToken.run(now, id)).changes === 1;
    },
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      return await db.transaction(fn);
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
