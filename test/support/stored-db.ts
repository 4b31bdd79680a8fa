import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Runtime } from './control-plane';

/** The environment that puts a control plane's database in `dir`, for either runtime. */
export function dbEnv(runtime: Runtime, dir: string): Record<string, string> {
  return runtime === 'node' ? { FLEET_DB_PATH: join(dir, 'fleet.db') } : { FLEET_EDGE_STATE_DIR: dir };
}

/**
 * Opens the SQLite file behind a control plane, read-only: the Node entry's file, or the one miniflare keeps
 * for the local D1 database (workerd's D1 is SQLite too).
 */
export function openStoredDb(runtime: Runtime, dir: string): Database.Database {
  if (runtime === 'node') return new Database(join(dir, 'fleet.db'), { readonly: true });
  const d1Dir = join(dir, 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(d1Dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (!file) throw new Error(`no D1 database file in ${d1Dir}`);
  return new Database(join(d1Dir, file), { readonly: true });
}
