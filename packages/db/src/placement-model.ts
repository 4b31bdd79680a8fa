import type { PlacementDecision, SkipReason } from '@kurento-fleet/contract';
import { pick } from '@kurento-fleet/swrr';

/**
 * The placement rules of ./health.ts and ./placement-policy.ts, in plain TypeScript: the model the property
 * tests hold the SQL (and the API) against, and what `GET /v1/placements/preview` runs to compute the next picks
 * without changing anything. The SQL decides every real placement; this restates it, and tests compare the two,
 * so a change of a rule is made in two places that are checked against each other, never in three that drift.
 */
export interface ModelNode {
  id: string;
  weight: number;
  /** SWRR state, as the reference scheduler keeps it. */
  current: number;
  state: 'active' | 'draining' | 'disabled';
  max: number | null;
  /** When the last heartbeat arrived (null: never), and whether it said the KMS is connected. */
  lastHeartbeat: number | null;
  connected: boolean;
  /** Out of rotation until then (epoch ms), after a reported failure; the run of ejections it belongs to. */
  ejectedUntil: number | null;
  ejections: number;
  lastEjectedAt: number | null;
  /** When it last became up (where slow start begins), and its last CPU report in percent of all cores. */
  upSince: number | null;
  cpuLoad: number | null;
}

/** The policy settings the rules read (see ./fleet-db's PlacementPolicy). */
export interface ModelPolicy {
  slowStartMs: number;
  maxCpuPercent: number;
}

/** A node as it is registered: weight and id, no heartbeat yet, nothing else set. */
export function newModelNode(id: string, weight: number): ModelNode {
  return {
    id,
    weight,
    current: 0,
    state: 'active',
    max: null,
    lastHeartbeat: null,
    connected: false,
    ejectedUntil: null,
    ejections: 0,
    lastEjectedAt: null,
    upSince: null,
    cpuLoad: null,
  };
}

/** The instants the rule is evaluated against: `fresh` (oldest fresh heartbeat) and `now`. */
export interface At {
  fresh: number;
  now: number;
}

export const isUp = (n: ModelNode, at: At) =>
  n.connected && n.lastHeartbeat !== null && n.lastHeartbeat >= at.fresh;
const ejected = (n: ModelNode, at: At) => n.ejectedUntil !== null && n.ejectedUntil > at.now;

export function health(n: ModelNode, at: At): 'up' | 'down' | 'unknown' {
  if (n.lastHeartbeat === null) return 'unknown';
  return isUp(n, at) ? 'up' : 'down';
}

/**
 * Why a node is not eligible for a new session, given how many sessions it holds, in the SQL's order (what an
 * operator fixes first), or null when it is eligible.
 */
export function ineligibleBecause(n: ModelNode, load: number, at: At): SkipReason | null {
  if (n.state === 'disabled') return 'disabled';
  if (n.state === 'draining') return 'draining';
  if (n.weight <= 0) return 'weight0';
  if (!isUp(n, at)) return 'down';
  if (ejected(n, at)) return 'ejected';
  if (n.max !== null && load >= n.max) return 'full';
  return null;
}

/** Eligible for a new session, given how many sessions it holds. */
export function eligible(n: ModelNode, load: number, at: At): boolean {
  return ineligibleBecause(n, load, at) === null;
}

/** The weight SWRR uses now: lowered while the node ramps up after becoming up (slow start). */
export function effectiveWeight(n: ModelNode, at: At, policy: ModelPolicy): number {
  const start = Math.max(n.upSince ?? 0, n.ejectedUntil ?? 0);
  if (policy.slowStartMs <= 0 || n.weight <= 1 || at.now - start >= policy.slowStartMs) return n.weight;
  const floor = Math.max(1, Math.ceil(n.weight / 10));
  return floor + Math.trunc(((n.weight - floor) * (at.now - start)) / policy.slowStartMs);
}

/** At or above the CPU limit by its last report. */
export function hot(n: ModelNode, policy: ModelPolicy): boolean {
  return policy.maxCpuPercent < 100 && n.cpuLoad !== null && n.cpuLoad >= policy.maxCpuPercent;
}

/**
 * The decision of the next pick, as the SQL records it with a placement: the nodes that take part (eligible,
 * minus the hot ones while some eligible one is not) with their weights and current, and the others with why,
 * each in the order of `nodes` (the order of addition).
 */
export function decide(
  nodes: readonly ModelNode[],
  load: (n: ModelNode) => number,
  at: At,
  policy: ModelPolicy,
): PlacementDecision {
  const reasons = nodes.map((n) => ineligibleBecause(n, load(n), at));
  const someCool = nodes.some((n, i) => reasons[i] === null && !hot(n, policy));
  const decision: PlacementDecision = { eligible: [], skipped: [] };
  for (const [i, n] of nodes.entries()) {
    const why = reasons[i] ?? (someCool && hot(n, policy) ? 'cpu' : null);
    if (why) decision.skipped.push({ id: n.id, why });
    else
      decision.eligible.push({
        id: n.id,
        weight: n.weight,
        effectiveWeight: effectiveWeight(n, at, policy),
        current: n.current,
      });
  }
  return decision;
}

/**
 * One SWRR pick over effective weights, as the SQL makes it: returns the winner and sets the new currents on
 * `nodes` (in place), or returns null and changes nothing when no node takes part.
 */
export function pickNext(
  nodes: readonly ModelNode[],
  load: (n: ModelNode) => number,
  at: At,
  policy: ModelPolicy,
): string | null {
  const taking = new Set(decide(nodes, load, at, policy).eligible.map((e) => e.id));
  const weighted = nodes.map((n) => ({
    id: n.id,
    weight: effectiveWeight(n, at, policy),
    current: n.current,
  }));
  const picked = pick(weighted, (n) => taking.has(n.id));
  if (!picked) return null;
  for (const [i, n] of nodes.entries()) n.current = (picked.nodes[i] as { current: number }).current;
  return picked.id;
}

/** Still fit to keep its sessions. */
export function usable(n: ModelNode, at: At): boolean {
  return n.state !== 'disabled' && health(n, at) !== 'down' && !ejected(n, at);
}

/**
 * A failure report (../failures.ts): ejects `node` unless it is ejected already or the ejected weight would
 * cross the cap; returns its ejection's end, or null when the cap kept it in.
 */
export function reportFailure(
  nodes: readonly ModelNode[],
  node: ModelNode,
  at: At,
  policy: { ejectionMs: number; maxEjectedPercent: number; memoryMs: number; maxFactor: number },
): number | null {
  if (ejected(node, at)) return node.ejectedUntil;
  const ejectedWeight = nodes.filter((n) => ejected(n, at)).reduce((sum, n) => sum + n.weight, 0);
  const total = nodes.reduce((sum, n) => sum + n.weight, 0);
  if ((ejectedWeight + node.weight) * 100 > policy.maxEjectedPercent * total) return null;
  const continues = node.lastEjectedAt !== null && at.now - node.lastEjectedAt < policy.memoryMs;
  node.ejections = continues ? node.ejections + 1 : 1;
  node.lastEjectedAt = at.now;
  const length = Math.min(
    policy.ejectionMs * 2 ** (node.ejections - 1),
    policy.ejectionMs * policy.maxFactor,
  );
  node.ejectedUntil = at.now + length;
  return node.ejectedUntil;
}
