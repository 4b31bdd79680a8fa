import { statSync } from 'node:fs';

/** Thrown before a write when the database file is no longer the one at the configured path. */
export class DatabaseFileGoneError extends Error {
  override name = 'DatabaseFileGoneError';
  readonly code = 'FLEET_DB_FILE_GONE';
}

/**
 * Watches that the open database file is still the file at its path. Removing or renaming a SQLite file under a
 * running process goes unnoticed by SQLite: writes go on into a file (and WAL) that no path reaches any more,
 * and the next start opens an empty fleet at the path. So the device and inode seen at open are compared with
 * the path's before every write transaction (a stat, about a microsecond) and by the health check: a mismatch
 * refuses the write with an error naming the cause, and /healthz answers 503, until the file is put back.
 */
export function fileIdentity(path: string): { problem(): string | null; assertSame(): void } {
  const identity = (): string | null => {
    try {
      const stat = statSync(path);
      return `${stat.dev}:${stat.ino}`;
    } catch {
      return null;
    }
  };
  const opened = identity();
  const problem = () => {
    const now = identity();
    if (now === opened) return null;
    return now === null
      ? `the database file ${path} was removed or renamed while the server ran`
      : `the database file ${path} was replaced by another file while the server ran`;
  };
  return {
    problem,
    assertSame() {
      const found = problem();
      if (found) throw new DatabaseFileGoneError(`${found} (put it back, or restart the server)`);
    },
  };
}
