/**
 * The health rule of ../health.ts, in plain TypeScript, for the property tests that hold the SQL (and the API)
 * against a model: one model of the rule that both share, so that a change of the rule is made in two places
 * that tests compare, never in three that drift.
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
  };
}

/** The instants the rule is evaluated against: `fresh` (oldest fresh heartbeat) and `now`. */
export interface At {
  fresh: number;
  now: number;
}

const up = (n: ModelNode, at: At) => n.connected && n.lastHeartbeat !== null && n.lastHeartbeat >= at.fresh;
const ejected = (n: ModelNode, at: At) => n.ejectedUntil !== null && n.ejectedUntil > at.now;

export function health(n: ModelNode, at: At): 'up' | 'down' | 'unknown' {
  if (n.lastHeartbeat === null) return 'unknown';
  return up(n, at) ? 'up' : 'down';
}

/** Eligible for a new session, given how many sessions it holds. */
export function eligible(n: ModelNode, load: number, at: At): boolean {
  return (
    n.state === 'active' && n.weight > 0 && up(n, at) && !ejected(n, at) && (n.max === null || load < n.max)
  );
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
