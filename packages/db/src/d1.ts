import type { Row, SqlClient, SqlValue } from './client';

/**
 * The D1 driver (Cloudflare Workers). D1 has no interactive transactions, but a batch runs as one transaction,
 * which is all the queries need: every atomic step is written as one batch. This module imports nothing
 * Node-only, so the Worker bundle stays free of better-sqlite3 and `node:` modules.
 */

/** The part of Cloudflare's D1Database binding this driver uses (structural, so no types package is needed). */
export interface D1Like {
  prepare(sql: string): D1StatementLike;
  batch(statements: D1StatementLike[]): Promise<{ results?: unknown[] }[]>;
}

export interface D1StatementLike {
  bind(...values: SqlValue[]): D1StatementLike;
  all(): Promise<{ results?: unknown[] }>;
}

export function d1Client(d1: D1Like): SqlClient {
  const bind = (sql: string, params: readonly SqlValue[]) => d1.prepare(sql).bind(...params);
  return {
    async batch(statements) {
      const results = await d1.batch(statements.map(({ sql, params }) => bind(sql, params)));
      return results.map((result) => (result.results ?? []) as Row[]);
    },
    async query({ sql, params }) {
      return ((await bind(sql, params).all()).results ?? []) as Row[];
    },
  };
}

/** A migration as committed in drizzle/: its file name (without .sql) and statements. */
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

// The bookkeeping table of `wrangler d1 migrations apply`, so that a database migrated here and one migrated
// by wrangler (migrations_dir = drizzle) agree on what has been applied.
const createBookkeeping = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`;

/** Applies the migrations D1 has not seen yet, each in one batch with its bookkeeping row. */
export async function applyD1Migrations(
  client: SqlClient,
  migrations: readonly Migration[],
): Promise<string[]> {
  await client.batch([{ sql: createBookkeeping, params: [] }]);
  const applied = new Set(
    (await client.query({ sql: 'SELECT name FROM d1_migrations', params: [] })).map((row) =>
      String(row.name),
    ),
  );
  const pending = migrations.filter((migration) => !applied.has(migration.name));
  for (const migration of pending) {
    await client.batch([
      ...migration.statements.map((sql) => ({ sql, params: [] })),
      { sql: 'INSERT INTO d1_migrations (name) VALUES (?1)', params: [migration.name] },
    ]);
  }
  return pending.map((migration) => migration.name);
}
