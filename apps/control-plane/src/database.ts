import type { SqlClient } from '@kurento-fleet/db';
import { libsqlClient } from '@kurento-fleet/db/libsql';
import { applyMigrations } from '@kurento-fleet/db/migrations';
import { openSqliteFile, readMigrations } from '@kurento-fleet/db/node';
import { createClient } from '@libsql/client';
import type { Config } from './env';

export interface OpenDatabase {
  client: SqlClient;
  /** Where the data lives, for the start log line (never the auth token). */
  location: string;
  close(): void;
}

/**
 * The Node entry's database: a libSQL server when FLEET_DB_URL is set (several machines share it), else a
 * SQLite file through better-sqlite3 (several processes on one machine share it). Migrated before use.
 */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  if (config.FLEET_DB_URL !== undefined) {
    const remote = createClient({ url: config.FLEET_DB_URL, authToken: config.FLEET_DB_AUTH_TOKEN });
    const client = libsqlClient(remote);
    await applyMigrations(client, readMigrations());
    return { client, location: config.FLEET_DB_URL, close: () => remote.close() };
  }
  const file = openSqliteFile(config.FLEET_DB_PATH, { synchronous: config.FLEET_DB_SYNCHRONOUS });
  return { client: file.client, location: config.FLEET_DB_PATH, close: () => file.close() };
}
