import { assignSession, type FleetDb } from '@kurento-fleet/db';

/** µs per new-session assignment over `ops`, one awaited after the other (the latency of a lone caller). */
export async function assignSequential(db: FleetDb, ops: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await assignSession(db, { sessionId: crypto.randomUUID() });
  return ((performance.now() - start) * 1000) / ops;
}

/** µs per sticky re-assignment over `ops`, cycling through `ids` (placed already). */
export async function assignSticky(db: FleetDb, ids: readonly string[], ops: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await assignSession(db, { sessionId: ids[i % ids.length] ?? '' });
  return ((performance.now() - start) * 1000) / ops;
}

/** µs per assignment with `inFlight` callers at once, as an HTTP server under load issues them. */
export async function assignConcurrent(db: FleetDb, ops: number, inFlight: number): Promise<number> {
  let remaining = ops;
  const worker = async () => {
    while (remaining-- > 0) await assignSession(db, { sessionId: crypto.randomUUID() });
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return ((performance.now() - start) * 1000) / ops;
}
