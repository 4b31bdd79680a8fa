/**
 * Failures of the storage itself, whichever driver raised them, as a sentence an operator can act on. SQLite
 * rolls the failed transaction back whole, so the caller can say that nothing was changed.
 */
const failures: [RegExp, string][] = [
  [/SQLITE_FULL|database or disk is full/i, 'the database or its disk is full'],
  [/SQLITE_READONLY|readonly database|read-only/i, 'the database is read-only'],
  [/SQLITE_BUSY|database is locked/i, 'the database stayed locked by another writer past the busy timeout'],
  [/SQLITE_IOERR|disk I\/O error/i, 'the database could not write to its disk (I/O error)'],
  [/SQLITE_CANTOPEN|unable to open database/i, 'the database file cannot be opened'],
  [/SQLITE_CORRUPT|malformed/i, 'the database file is damaged'],
];

export function storageFailure(error: unknown): string | null {
  const code = (error as { code?: unknown })?.code;
  // The file check (./file-identity) words its own cause, with the path.
  if (code === 'FLEET_DB_FILE_GONE' && error instanceof Error) return error.message;
  const text = `${code ?? ''} ${error instanceof Error ? error.message : String(error)}`;
  return failures.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}
