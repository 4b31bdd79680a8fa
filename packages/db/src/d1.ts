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
