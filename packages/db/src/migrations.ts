import type { SqlClient } from './client';

/**
 * Migrations for drivers that reach the database through a SqlClient only (D1, libSQL): the same drizzle/
 * files as better-sqlite3, bookkept in wrangler's `d1_migrations` table, so that a D1 database migrated here
 * and one migrated by `wrangler d1 migrations apply` (migrations_dir = drizzle) agree on what has run.
 */

/** A migration as committed in drizzle/: its file name and statements. */
export interface Migration {
  name: string;
  statements: string[];
}

/** Splits a drizzle-kit migration file into statements. */
export function splitMigration(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/--.*$/gm, '').trim() !== '');
}

const createBookkeeping = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`;

async function appliedNames(client: SqlClient): Promise<Set<string>> {
  const rows = await client.query({ sql: 'SELECT name FROM d1_migrations', params: [] });
  return new Set(rows.map((row) => String(row.name)));
}

/**
 * Applies the migrations not yet recorded, each in one batch with its bookkeeping row. When two processes
 * start at once, the loser's batch fails (its CREATE TABLE, or the UNIQUE name) and rolls back whole; it then
 * finds the migration recorded and goes on.
 */
export async function applyMigrations(
  client: SqlClient,
  migrations: readonly Migration[],
): Promise<string[]> {
  await client.batch([{ sql: createBookkeeping, params: [] }]);
  const applied: string[] = [];
  for (const migration of migrations) {
    if ((await appliedNames(client)).has(migration.name)) continue;
    try {
      await client.batch([
        ...migration.statements.map((sql) => ({ sql, params: [] })),
        { sql: 'INSERT INTO d1_migrations (name) VALUES (?1)', params: [migration.name] },
      ]);
      applied.push(migration.name);
    } catch (error) {
      if (!(await appliedNames(client)).has(migration.name)) throw error;
    }
  }
  return applied;
}
