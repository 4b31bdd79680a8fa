import type { TokenInfo, TokenRole } from '@kurento-fleet/contract';
import { defineStatement } from './client';
import { FleetError } from './errors';
import type { FleetDb } from './fleet-db';
import { type RowOf, rowsAs } from './rows';
import type { tokens } from './schema';
import { constantTimeEqual, hashToken, issueToken, tokenId } from './secrets';
import { iso } from './views';

export type Principal = { role: 'admin' } | { role: 'app' } | { role: 'agent'; nodeId: string };

const insertToken = defineStatement<'id' | 'role' | 'name' | 'hash' | 'now'>(`
  INSERT INTO tokens (id, role, name, hash, node_id, created_at) VALUES (:id, :role, :name, :hash, NULL, :now)`);

/** Creates an admin or app token; the secret is returned this once and stored only as a hash. */
export async function createToken(
  db: FleetDb,
  input: { role: TokenRole; name?: string | undefined },
): Promise<TokenInfo & { token: string }> {
  const issued = await issueToken();
  const now = db.now();
  const name = input.name ?? null;
  await db.client.batch([insertToken({ id: issued.id, role: input.role, name, hash: issued.hash, now })]);
  return { id: issued.id, role: input.role, name, createdAt: iso(now), token: issued.token };
}

const insertFirstAdmin = defineStatement<'id' | 'hash' | 'now'>(`
  INSERT INTO tokens (id, role, name, hash, node_id, created_at)
  SELECT :id, 'admin', 'bootstrap', :hash, NULL, :now WHERE NOT EXISTS (SELECT 1 FROM tokens WHERE role = 'admin')
  RETURNING id`);

/** Creates the first admin token if none exists (one statement, so two starting replicas make one). */
export async function ensureAdminToken(db: FleetDb): Promise<string | null> {
  const issued = await issueToken();
  const [rows] = await db.client.batch([
    insertFirstAdmin({ id: issued.id, hash: issued.hash, now: db.now() }),
  ]);
  return rows?.length ? issued.token : null;
}

const selectTokens = defineStatement(`
  SELECT id, role, name, created_at FROM tokens WHERE role IN ('admin', 'app') ORDER BY created_at, rowid`);

export async function listTokens(db: FleetDb): Promise<TokenInfo[]> {
  const rows = await db.client.query(selectTokens({}));
  return rowsAs<RowOf<typeof tokens>>(rows).map((row) => ({
    id: String(row.id),
    role: row.role as TokenRole,
    name: row.name === null ? null : String(row.name),
    createdAt: iso(Number(row.created_at)),
  }));
}

const deleteById = defineStatement<'id'>(
  `DELETE FROM tokens WHERE id = :id AND role IN ('admin', 'app') RETURNING id`,
);

/** Revokes an admin or app token at once (agent tokens are rotated through their node). */
export async function deleteToken(db: FleetDb, id: string): Promise<void> {
  const [deleted] = await db.client.batch([deleteById({ id })]);
  if (!deleted?.length) throw new FleetError('NOT_FOUND', `Token '${id}' does not exist.`);
}

const selectForAuth = defineStatement<'id'>('SELECT role, hash, node_id FROM tokens WHERE id = :id');

/**
 * Resolves a bearer token to its role, or null when it is malformed, unknown, revoked or wrong. `hash` is the
 * token's hashToken(), when the caller computed it already.
 */
export async function findPrincipal(db: FleetDb, token: string, hash?: string): Promise<Principal | null> {
  const id = tokenId(token);
  if (id === null) return null;
  const [row] = rowsAs<RowOf<typeof tokens>>(await db.client.query(selectForAuth({ id })));
  if (!row || !constantTimeEqual(String(row.hash), hash ?? (await hashToken(token)))) return null;
  if (row.role === 'agent') return { role: 'agent', nodeId: String(row.node_id) };
  return { role: row.role as TokenRole };
}
