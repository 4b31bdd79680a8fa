/**
 * The one seam between the queries and a SQLite driver. The queries are plain SQLite with numbered
 * parameters (`?1`), which better-sqlite3, D1 and libSQL all accept, and every write that must be atomic is a
 * batch: D1 has no interactive transactions, so no query may read, decide in JS, then write.
 */
export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

export interface BatchOptions {
  /**
   * false: the commit need not wait for the disk (no fsync of its own). The write is still atomic and survives a
   * crash of the process; a power cut before the next durable commit may undo it. Only for writes that the next
   * one of their kind supersedes (a steady heartbeat). Default true; drivers that cannot tell ignore it.
   */
  durable?: boolean;
}

export interface SqlClient {
  /** Runs the statements in order as one write transaction (all or nothing); returns each one's rows. */
  batch(statements: readonly Statement[], options?: BatchOptions): Promise<Row[][]>;
  /** Runs one read-only statement. */
  query(statement: Statement): Promise<Row[]>;
  /**
   * True when a query costs microseconds (a file in this process), not a network round trip (D1, libSQL):
   * then a caller may read first to skip a write transaction that would change nothing.
   */
  readonly local?: boolean;
  /**
   * Why this database cannot serve now although SQL answers (say, its file was removed under the process), or
   * null; what `/healthz` reports. Absent where the driver has no such check.
   */
  problem?(): string | null;
}

const namedParam = /:([a-zA-Z_][a-zA-Z0-9_]*)/g;

/**
 * Compiles SQL written with `:name` parameters into numbered ones, once, and returns a function that binds
 * values by name. Named parameters keep the long statements readable; numbered ones are what every driver takes.
 */
export function defineStatement<P extends string = never>(
  source: string,
): (params: { readonly [K in P]: SqlValue }) => Statement {
  const names: string[] = [];
  const sql = source.replace(namedParam, (_, name: string) => {
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `?${index + 1}`;
  });
  return (params) => {
    const values = names.map((name) => {
      const value = (params as Record<string, SqlValue | undefined>)[name];
      if (value === undefined) throw new Error(`SQL parameter :${name} is missing`);
      return value;
    });
    return { sql, params: values };
  };
}

/** True when the error is SQLite's UNIQUE or PRIMARY KEY violation, whichever driver raised it. */
export function uniqueViolation(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const match = /UNIQUE constraint failed: ([\w.]+)/.exec(message);
  return match ? (match[1] ?? '') : null;
}
