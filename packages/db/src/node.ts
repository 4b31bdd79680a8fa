import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Row, SqlClient, SqlValue, Statement } from './client';
import { fileIdentity } from './file-identity';
import { type GroupCommitOptions, groupCommit } from './group-commit';
import { groupReads } from './group-read';
import { type Migration, splitMigration } from './migrations';

/** The committed drizzle-kit migrations at the repository root. */
export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

export interface SqliteFileOptions {
  /** How long a write waits for another process's write lock before it fails with SQLITE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
  /**
   * `full` (the default): every commit is on disk before its caller hears of it, so an acknowledged assignment
   * survives power loss. `normal`: WAL commits are fsynced only at checkpoints, ~10× cheaper; a power cut (not a
   * process crash) may undo the last commits. FLEET_DB_SYNCHRONOUS chooses.
   */
  synchronous?: 'full' | 'normal' | undefined;
  /** How many queued batches share one transaction at most (see ./group-commit). */
  groupCommit?: Pick<GroupCommitOptions, 'maxBatches'> | undefined;
}

export interface SqliteFile {
  client: SqlClient;
  /** The underlying connection, for checks such as `PRAGMA integrity_check`. */
  raw: Database.Database;
  /** Moves the WAL into the main file (so that the file alone holds everything), then closes. */
  close(): void;
}

/**
 * Opens (creating if needed) a SQLite file with better-sqlite3 in WAL mode and applies the migrations.
 * Several processes may open the same file: every write batch runs in a BEGIN IMMEDIATE transaction, which
 * takes the write lock before reading, so concurrent picks serialize instead of failing with BUSY_SNAPSHOT.
 * busy_timeout is 0: SQLite would wait for a lock by sleeping on the event loop; ./group-commit and ./busy wait
 * with timers instead, so that reads and health checks go on while another process holds the lock.
 */
export function openSqliteFile(path: string, options: SqliteFileOptions = {}): SqliteFile {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  // Waiting for the lock at start is fine (nothing is served yet): the migrations take it like any writer.
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  raw.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the client hears 201, so an acknowledged assignment survives power loss.
  raw.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  raw.pragma('foreign_keys = ON');
  // Temporary files in memory: above all the savepoint sub-journal of a group commit (./group-commit), which
  // holds the original of every page a batch changes so that a failing batch can be rolled back alone. On disk
  // it spilled after 64 KiB and made a fifth of a placement's CPU in pwrite calls (perf, bench/optimizations.md).
  // It is never read after a crash (the WAL is what recovers), so keeping it in memory changes no durability.
  raw.pragma('temp_store = MEMORY');
  migrateWithLock(raw);
  raw.pragma('busy_timeout = 0');
  const file = path === ':memory:' ? null : fileIdentity(path);
  const client = betterSqliteClient(raw, {
    ...options.groupCommit,
    busyTimeoutMs: options.busyTimeoutMs,
    beforeWrite: file?.assertSame,
  });
  return {
    client: { ...client, problem: () => file?.problem() ?? null },
    raw,
    close: () => {
      // Another process may hold the WAL open; TRUNCATE then does what it can and the last one finishes it.
      if (raw.open && !file?.problem()) raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
    },
  };
}

/**
 * Applies pending migrations, bookkept in drizzle's own `__drizzle_migrations` table. Not drizzle's migrator:
 * it reads the applied list before taking the write lock, so two processes starting at once on a new file
 * would both try to create the tables. Here the check and the writes share one IMMEDIATE transaction.
 */
function migrateWithLock(raw: Database.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  const apply = raw.transaction(() => {
    raw.exec(
      'CREATE TABLE IF NOT EXISTS __drizzle_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)',
    );
    const last = raw
      .prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1')
      .get() as { created_at: number } | undefined;
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim()) raw.exec(statement);
      raw
        .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
        .run(migration.hash, migration.folderMillis);
    }
    // A real write on every start: SQLite opens a file it may not write read-only without a word, and would
    // only fail at the first placement. Recording the schema version fails here instead, at start.
    raw.pragma(`user_version = ${migrations.length}`);
  });
  apply.immediate();
}

/**
 * A SqlClient over one better-sqlite3 connection, with prepared statements cached by SQL text, write batches
 * group-committed (./group-commit: one fsync for every batch that arrived in the same event-loop turn) and reads
 * grouped the same way (./group-read: one read transaction for the reads of a turn).
 */
export function betterSqliteClient(raw: Database.Database, options?: GroupCommitOptions): SqlClient {
  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = raw.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
  const execute = ({ sql, params }: Statement): Row[] => {
    const statement = prepare(sql);
    // better-sqlite3 binds `?NNN` parameters from an object keyed by their number.
    const bound: Record<number, SqlValue> = {};
    for (let i = 0; i < params.length; i++) bound[i + 1] = params[i] ?? null;
    if (statement.reader) return statement.all(bound) as Row[];
    statement.run(bound);
    return [];
  };
  const { batch } = groupCommit(raw, execute, options);
  return { batch, query: groupReads(raw, execute).query, local: true };
}

/** The committed migrations for drivers migrated through a SqlClient (D1, libSQL), named like wrangler names them. */
export function readMigrations(): Migration[] {
  return readdirSync(migrationsFolder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({
      name,
      statements: splitMigration(readFileSync(join(migrationsFolder, name), 'utf8')),
    }));
}
