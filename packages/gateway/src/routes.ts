import type { GatewayFleet } from './fleet';
import type { VirtualSession } from './sessions';
import { isPipelineId } from './wire';

/** How long "the fleet does not know this pipeline" is believed, so that unknown ids cannot flood the fleet. */
const MISS_TTL_MS = 1000;

/**
 * Pipeline → node: where every request about a pipeline's objects goes. Filled by placements, by each KMS's
 * own list of pipelines when the gateway connects to it, by ObjectCreated; a miss asks the fleet, whose
 * session of a gateway pipeline is named by the pipeline's id (so a restarted gateway, or another one, finds
 * every pipeline).
 */
export class RouteTable {
  private readonly nodeOf = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /**
   * The sessions that use each pipeline: one session (almost always: an application has one connection) or a
   * set, so that a pipeline costs one map entry and no set of its own.
   */
  private readonly users = new Map<string, VirtualSession | Set<VirtualSession>>();
  private readonly misses = new Map<string, number>();
  private readonly lookups = new Map<string, Promise<string | undefined>>();
  private readonly fleet: GatewayFleet;
  private readonly onLookupError: (error: unknown) => void;

  constructor(fleet: GatewayFleet, onLookupError: (error: unknown) => void) {
    this.fleet = fleet;
    this.onLookupError = onLookupError;
  }

  get size(): number {
    return this.nodeOf.size;
  }

  get(pipelineId: string): string | undefined {
    return this.nodeOf.get(pipelineId);
  }

  set(pipelineId: string, nodeId: string): void {
    const previous = this.nodeOf.get(pipelineId);
    if (previous === nodeId) return;
    if (previous !== undefined) this.count(previous, -1);
    this.nodeOf.set(pipelineId, nodeId);
    this.count(nodeId, 1);
    this.misses.delete(pipelineId);
  }

  /** Forgets a pipeline; returns the sessions that used it. */
  delete(pipelineId: string): ReadonlySet<VirtualSession> {
    const nodeId = this.nodeOf.get(pipelineId);
    if (nodeId !== undefined) {
      this.nodeOf.delete(pipelineId);
      this.count(nodeId, -1);
    }
    const users = this.users.get(pipelineId);
    this.users.delete(pipelineId);
    if (users === undefined) return new Set();
    return users instanceof Set ? users : new Set([users]);
  }

  /** The node of a pipeline: from the table, else from the fleet; undefined when neither knows it. */
  resolve(pipelineId: string): Promise<string | undefined> {
    const known = this.nodeOf.get(pipelineId);
    if (known !== undefined) return Promise.resolve(known);
    if (!isPipelineId(pipelineId)) return Promise.resolve(undefined);
    const missUntil = this.misses.get(pipelineId);
    if (missUntil !== undefined && missUntil > Date.now()) return Promise.resolve(undefined);
    let lookup = this.lookups.get(pipelineId);
    if (!lookup) {
      lookup = this.lookUp(pipelineId).finally(() => this.lookups.delete(pipelineId));
      this.lookups.set(pipelineId, lookup);
    }
    return lookup;
  }

  /** Records that a session uses a pipeline (it is told with an `Error` event if the pipeline is lost). */
  touch(pipelineId: string, session: VirtualSession): void {
    const users = this.users.get(pipelineId);
    if (users === undefined) this.users.set(pipelineId, session);
    else if (users instanceof Set) users.add(session);
    else if (users !== session) this.users.set(pipelineId, new Set([users, session]));
  }

  /** A session ended: it uses nothing any more. Rare (a client gone for good), so a pass over the table. */
  forget(session: VirtualSession): void {
    for (const [pipelineId, users] of this.users) {
      if (users === session) this.users.delete(pipelineId);
      else if (users instanceof Set) users.delete(session);
    }
  }

  pipelinesOn(nodeId: string): string[] {
    const found: string[] = [];
    for (const [pipelineId, node] of this.nodeOf) if (node === nodeId) found.push(pipelineId);
    return found;
  }

  /** Pipelines routed per node (the metrics' gauge). */
  countsByNode(): ReadonlyMap<string, number> {
    return this.counts;
  }

  private async lookUp(pipelineId: string): Promise<string | undefined> {
    try {
      const placed = await this.fleet.find(pipelineId);
      if (placed) {
        // Learned while the lookup ran (ObjectCreated, a placement): that answer is the fresher one.
        const known = this.nodeOf.get(pipelineId);
        if (known !== undefined) return known;
        this.set(pipelineId, placed.nodeId);
        return placed.nodeId;
      }
    } catch (error) {
      this.onLookupError(error);
      return this.nodeOf.get(pipelineId);
    }
    if (this.misses.size > 10_000) this.misses.clear();
    this.misses.set(pipelineId, Date.now() + MISS_TTL_MS);
    return this.nodeOf.get(pipelineId);
  }

  private count(nodeId: string, delta: number): void {
    const next = (this.counts.get(nodeId) ?? 0) + delta;
    if (next > 0) this.counts.set(nodeId, next);
    else this.counts.delete(nodeId);
  }
}
