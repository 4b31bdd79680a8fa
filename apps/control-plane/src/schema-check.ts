import type { FleetDb } from '@kurento-fleet/db';
import * as schema from '@kurento-fleet/db/schema';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { errorBody } from './errors';

/**
 * One read-only statement that names every column of every table of the schema (a `SELECT … LIMIT 0` of each,
 * cross-joined): SQLite compiles it whole, so it fails with "no such table" or "no such column" until every
 * migration this code needs has run, returns no row, and reads nothing. A join, not UNION ALL: D1 allows at most
 * five terms in a compound SELECT. Derived from the drizzle schema, so a new table or column is checked without
 * touching this file.
 */
const schemaProbe = `SELECT 1 FROM ${Object.values(schema as Record<string, unknown>)
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .map((table) => {
    const { name, columns } = getTableConfig(table);
    return `(SELECT ${columns.map((c) => `"${c.name}"`).join(', ')} FROM "${name}" LIMIT 0)`;
  })
  .join(', ')}`;

/** Resolves when the database answers and holds the schema this code needs; rejects with the reason otherwise. */
export async function checkSchema(db: FleetDb): Promise<void> {
  await db.client.query({ sql: schemaProbe, params: [] });
}

/**
 * Readiness: until the schema has been seen in place once, every request that would read the database is
 * answered 503 UNAVAILABLE (with Retry-After) instead of reaching a handler that would fail with a 500 "no such
 * table" (the document, the API reference and the dashboard's files are served from memory meanwhile). On Node
 * the migrations run before the port opens, so the first request finds them; `pnpm start:edge` opens workerd's port before it
 * can migrate D1, and a Worker deployed before `wrangler d1 migrations apply` has no tables at all. Once seen,
 * never checked again (a boolean on the hot path); `/healthz` keeps checking on every call.
 */
export function requireSchema(): MiddlewareHandler<AppEnv> {
  let ready = false;
  let warned = false;
  return async (c, next) => {
    if (ready) return next();
    try {
      await checkSchema(c.get('db'));
      ready = true;
    } catch (error) {
      // Once: a Worker deployed without its migrations would otherwise log every request.
      if (!warned)
        c.get('log').warn('not ready: the database schema is not in place', { error: String(error) });
      warned = true;
      c.header('Retry-After', '1');
      return errorBody(
        c,
        'UNAVAILABLE',
        'Not ready: the database schema is not in place yet (migrations are being applied, or were not).',
      );
    }
    return next();
  };
}
