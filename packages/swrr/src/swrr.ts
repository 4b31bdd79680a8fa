/**
 * The reference model of the fleet's scheduling: nginx's smooth weighted round robin (ngx_http_upstream_get_peer,
 * specified in docs/swrr.md) in plain TypeScript. It never runs on a request: placement is SQL, one write batch in
 * packages/db. The property tests hold that SQL, the HTTP API and the crash and concurrency tests against this
 * model, and its own tests prove the algorithm's invariants. Pure and dependency-free, so the same model runs in
 * the Node and the workerd test projects.
 * @module
 */

/** One schedulable node; a list of them is ordered by addition, which decides ties. */
export interface SwrrNode {
  readonly id: string;
  /** Non-negative integer share; 0 (or less) makes the node ineligible without forgetting its state. */
  readonly weight: number;
  /** The SWRR accumulator; starts at 0 and is what a database persists between picks. */
  readonly current: number;
}

/** The outcome of one pick: the chosen id and the whole list with its new `current` values. */
export interface SwrrPick<T extends SwrrNode = SwrrNode> {
  readonly id: string;
  readonly nodes: T[];
}

/** Decides whether a node may take a new placement now (up, not draining, not full, ...). */
export type SwrrEligibility<T extends SwrrNode = SwrrNode> = (node: T) => boolean;

const always = (): boolean => true;

/**
 * Makes one pick without mutating `nodes`, returning the new state to persist, or null when no node is
 * eligible. Extra fields on the nodes are kept, so callers can pass their own rows through.
 * Ineligible nodes (weight <= 0 or rejected by `isEligible`) are returned as the same objects, `current`
 * untouched, so that a node coming back resumes where it stopped.
 */
export function pick<T extends SwrrNode>(
  nodes: readonly T[],
  isEligible: SwrrEligibility<T> = always,
): SwrrPick<T> | null {
  // Remembered so the predicate runs once per node: it may read a clock or be costly.
  const eligible: boolean[] = [];
  let total = 0;
  let best = -1;
  let bestCurrent = 0;
  for (const [i, node] of nodes.entries()) {
    const ok = node.weight > 0 && isEligible(node);
    eligible.push(ok);
    if (!ok) continue;
    total += node.weight;
    const raised = node.current + node.weight;
    // Strictly greater, so on a tie the node added first keeps the pick, exactly like nginx's in-order scan.
    if (best === -1 || raised > bestCurrent) {
      best = i;
      bestCurrent = raised;
    }
  }
  const winner = nodes[best];
  if (winner === undefined) return null;

  const next = nodes.map((node, i) => {
    if (!eligible[i]) return node;
    const current = node.current + node.weight - (i === best ? total : 0);
    return { ...node, current };
  });
  return { id: winner.id, nodes: next };
}

function assertWeight(weight: number): void {
  // Integers keep Σ current exactly 0 and the period exact; floats would drift.
  if (!Number.isSafeInteger(weight) || weight < 0) {
    throw new RangeError(`SWRR weight must be a non-negative safe integer, got ${weight}`);
  }
}

/**
 * An in-memory SWRR over a changing set of nodes, for models and tests of the control plane.
 * Follows the fleet's rules (docs/swrr.md): adding, removing or re-weighting a node resets every `current` to 0, so the
 * new ratio takes effect at once, like nginx after a reload.
 */
export class SwrrScheduler {
  #nodes: SwrrNode[] = [];

  /** Starts from a persisted state (in order of addition), e.g. to continue a sequence after a restart. */
  constructor(nodes: readonly SwrrNode[] = []) {
    const seen = new Set<string>();
    for (const { id, weight, current } of nodes) {
      if (seen.has(id)) throw new Error(`duplicate SWRR node id ${id}`);
      seen.add(id);
      assertWeight(weight);
      if (!Number.isSafeInteger(current)) throw new RangeError(`SWRR current must be a safe integer`);
      this.#nodes.push({ id, weight, current });
    }
  }

  /** A snapshot of the state, in order of addition. */
  get nodes(): readonly SwrrNode[] {
    return [...this.#nodes];
  }

  /** Appends a node (it loses ties to every existing node) and resets every `current`. */
  add(id: string, weight: number): void {
    if (this.#nodes.some((node) => node.id === id)) throw new Error(`duplicate SWRR node id ${id}`);
    assertWeight(weight);
    this.#nodes.push({ id, weight, current: 0 });
    this.#reset();
  }

  /** Removes a node and resets every `current`; returns false (and resets nothing) if it was unknown. */
  remove(id: string): boolean {
    const before = this.#nodes.length;
    this.#nodes = this.#nodes.filter((node) => node.id !== id);
    if (this.#nodes.length === before) return false;
    this.#reset();
    return true;
  }

  /** Changes a node's weight and resets every `current`, even when the weight is unchanged (as a reload). */
  setWeight(id: string, weight: number): void {
    assertWeight(weight);
    const index = this.#nodes.findIndex((node) => node.id === id);
    if (index === -1) throw new Error(`unknown SWRR node id ${id}`);
    this.#nodes = this.#nodes.map((node, i) => (i === index ? { ...node, weight } : node));
    this.#reset();
  }

  /** Consumes one pick and returns the chosen id, or null (state unchanged) when no node is eligible. */
  pick(isEligible?: SwrrEligibility): string | null {
    const result = pick(this.#nodes, isEligible);
    if (result === null) return null;
    this.#nodes = result.nodes;
    return result.id;
  }

  #reset(): void {
    this.#nodes = this.#nodes.map((node) => ({ ...node, current: 0 }));
  }
}
