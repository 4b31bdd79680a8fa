import Database from 'better-sqlite3';
import { tempDir } from '../../support/temp-dir';

/**
 * The floor under every assignment: one committed INSERT through better-sqlite3 in the configuration the
 * control plane uses (WAL, synchronous=FULL unless told otherwise), in its own transaction.
 */
export function openRawWriter(synchronous: 'FULL' | 'NORMAL' = 'FULL') {
  const dir = tempDir('fleet-bench-raw-');
  const raw = new Database(`${dir.path}/raw.db`);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous}`);
  raw.exec(
    'CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL)',
  );
  const insert = raw.prepare('INSERT INTO t (id, at) VALUES (?, ?)');
  const write = raw.transaction((id: string) => insert.run(id, Date.now()));
  let next = 0;
  return {
    /** Switches durability between turns (same file, same statements). */
    synchronous(mode: 'FULL' | 'NORMAL') {
      raw.pragma(`synchronous = ${mode}`);
    },
    /** µs per committed write over `ops` writes. */
    measure(ops: number): number {
      const start = performance.now();
      for (let i = 0; i < ops; i++) write.immediate(`w-${next++}`);
      return ((performance.now() - start) * 1000) / ops;
    },
    close() {
      raw.close();
      dir.remove();
    },
  };
}
