import type { TopologyNode } from './fleet';
import { KmsNode, type NodeHooks, type NodeTimings } from './kms-node';
import type { VirtualSession } from './sessions';

/**
 * The fleet's KMS as the gateway knows them: one {@link KmsNode} per node of the topology (kept in step with
 * it), plus any node a placement names before the next topology read shows it.
 */
export class NodeRegistry {
  private readonly nodes = new Map<string, KmsNode>();
  private readonly controlSession: string;
  private readonly hooks: NodeHooks;
  private readonly timings: NodeTimings;
  private resolveReady: (() => void) | undefined;
  /** Settles on the first topology read (the gateway cannot answer ServerManager calls before it). */
  readonly ready: Promise<void>;

  constructor(controlSession: string, hooks: NodeHooks, timings: NodeTimings) {
    this.controlSession = controlSession;
    this.hooks = hooks;
    this.timings = timings;
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  get(id: string): KmsNode | undefined {
    return this.nodes.get(id);
  }

  values(): IterableIterator<KmsNode> {
    return this.nodes.values();
  }

  /** The node of a placement, made if the topology did not show it yet. */
  ensure(id: string, uri: string): KmsNode {
    let node = this.nodes.get(id);
    if (!node) {
      node = new KmsNode(id, uri, this.controlSession, this.hooks, this.timings);
      this.nodes.set(id, node);
    }
    return node;
  }

  /** Brings the nodes in step with a topology read: new ones connected, moved ones reconnected, gone ones closed. */
  apply(topology: readonly TopologyNode[]): void {
    const seen = new Set<string>();
    for (const entry of topology) {
      seen.add(entry.id);
      const node = this.ensure(entry.id, entry.uri);
      node.moveTo(entry.uri);
      node.fleetState = entry.state;
      node.fleetHealth = entry.health;
      // Healthy to the fleet but down to the gateway: try now, not at the end of the back-off.
      if (entry.health === 'up' && node.state === 'down') void node.retryNow();
    }
    for (const [id, node] of this.nodes) {
      if (seen.has(id)) continue;
      node.close();
      this.nodes.delete(id);
    }
    if (this.resolveReady) {
      // Ready once every node's first connection attempt has ended, so that the first request after a start
      // finds the KMS that are up.
      void Promise.allSettled([...this.nodes.values()].map((node) => node.whenUsable())).then(() =>
        this.markReady(),
      );
    }
  }

  /** Stops waiting for the topology (the control plane is unreachable at start: serve with what there is). */
  markReady(): void {
    this.resolveReady?.();
    this.resolveReady = undefined;
  }

  /** Nodes whose control connection is up. */
  up(): KmsNode[] {
    return [...this.nodes.values()].filter((node) => node.state === 'up');
  }

  /**
   * A KMS to answer a request that names no pipeline (ServerManager calls, errors): one the session already has
   * a socket on if possible, else one the fleet sees healthy and in service, else any that is up.
   */
  pickFor(session: VirtualSession | undefined, exclude?: ReadonlySet<string>): KmsNode | undefined {
    const up = this.up()
      .filter((node) => !exclude?.has(node.id))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const rank = (node: KmsNode) => {
      if (session?.backends.get(node.id)?.isOpen) return 0;
      if (node.fleetHealth !== 'down' && node.fleetState !== 'disabled') return 1;
      return 2;
    };
    let best: KmsNode | undefined;
    for (const node of up) if (best === undefined || rank(node) < rank(best)) best = node;
    return best;
  }

  closeAll(): void {
    for (const node of this.nodes.values()) node.close();
    this.nodes.clear();
  }
}
