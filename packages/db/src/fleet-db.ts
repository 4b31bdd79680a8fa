import type { SqlClient } from './client';

/** What every query needs: the driver, the clock, and the heartbeat timeout that decides a node's health. */
export interface FleetDb {
  readonly client: SqlClient;
  /** Epoch milliseconds; a test passes a fake clock to step over heartbeat timeouts without waiting. */
  now(): number;
  readonly heartbeatTimeoutMs: number;
}

/** Heartbeats at or after this instant count as fresh. */
export function freshSince(db: FleetDb, now: number): number {
  return now - db.heartbeatTimeoutMs;
}
