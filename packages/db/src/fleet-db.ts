import type { SqlClient } from './client';
import { type ObservationGaps, observeWrites } from './observation';
import { type SecretBox, secretBox } from './secret-box';

/** How placement reacts to failures that applications report (POST /v1/nodes/{id}/failures). */
export interface PlacementPolicy {
  /** The first ejection's length; each further one within `ejectionMemoryMs` doubles it, up to 10×. */
  ejectionMs: number;
  /** Never eject when the ejected nodes would then hold more than this share of the fleet's total weight. */
  maxEjectedPercent: number;
  /** A node that becomes up ramps its effective weight up over this long (0: off); ./placement-policy. */
  slowStartMs: number;
  /** Nodes at or above this CPU percent (of all cores) are skipped while others are below (100: off). */
  maxCpuPercent: number;
}

export const defaultPolicy: PlacementPolicy = {
  ejectionMs: 30_000,
  maxEjectedPercent: 50,
  slowStartMs: 0,
  maxCpuPercent: 85,
};

/** What every query needs: the driver, the clock, and the rules that decide a node's health. */
export interface FleetDb {
  readonly client: SqlClient;
  /** Epoch milliseconds; a test passes a fake clock to step over heartbeat timeouts without waiting. */
  now(): number;
  readonly heartbeatTimeoutMs: number;
  /** When this process could not observe; health discounts that time. Absent: every moment counts. */
  readonly gaps?: ObservationGaps | undefined;
  /** Absent: defaultPolicy. */
  readonly policy?: PlacementPolicy | undefined;
  /** How long events are kept (see ./event-retention); absent: a week. */
  readonly eventRetentionMs?: number | undefined;
  /** Seals the secrets it stores (./secret-box); absent: stored as they are. */
  readonly secrets?: SecretBox | undefined;
}

const unsealed = secretBox();

/** The box a FleetDb seals and opens its stored secrets with (one that stores them as they are, by default). */
export function secretsOf(db: FleetDb): SecretBox {
  return db.secrets ?? unsealed;
}

/** Heartbeats at or after this instant count as fresh: the timeout, in time this process could observe. */
export function freshSince(db: FleetDb, now: number): number {
  return db.gaps ? db.gaps.freshSince(now, db.heartbeatTimeoutMs) : now - db.heartbeatTimeoutMs;
}

export function policyOf(db: FleetDb): PlacementPolicy {
  return db.policy ?? defaultPolicy;
}

/**
 * The parameters every rule of ./health and ./placement-policy reads, bound once per request so that all
 * statements of one batch judge the fleet at the same instant.
 */
export function ruleParams(db: FleetDb, now = db.now()) {
  const policy = policyOf(db);
  return { now, fresh: freshSince(db, now), slow: policy.slowStartMs, cpu_max: policy.maxCpuPercent };
}

/**
 * A FleetDb whose writes report to `gaps` when the database cannot take them (see ./observation), for a
 * long-lived process that observes the fleet.
 */
export function observedFleetDb(db: FleetDb & { gaps: ObservationGaps }): FleetDb {
  return { ...db, client: observeWrites(db.client, db.gaps, db.now) };
}
