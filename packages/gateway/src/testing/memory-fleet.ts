import { FleetUnavailableError } from '@kurento-fleet/client';
import { pick, type SwrrNode } from '@kurento-fleet/swrr';
import type { GatewayFleet, Placed, TopologyNode } from '../fleet';

interface MemoryNode extends SwrrNode {
  uri: string;
  ejected: boolean;
}

/**
 * An in-memory stand-in for the control plane, for the gateway's unit tests only: SWRR placement, sessions,
 * rename, failure reports (which eject a node until `readmit`), and a log of every call.
 */
export class MemoryFleet implements GatewayFleet {
  private nodes: MemoryNode[] = [];
  readonly sessions = new Map<string, string>();
  readonly calls: string[] = [];
  readonly failures: Array<{ nodeId: string; reason: string }> = [];
  /** Makes every call fail, as an unreachable control plane; or the calls it returns true for (e.g. `rename …`). */
  unreachable: boolean | ((call: string) => boolean) = false;

  constructor(nodes: Array<{ id: string; uri: string; weight?: number }>) {
    this.nodes = nodes.map((n) => ({
      id: n.id,
      uri: n.uri,
      weight: n.weight ?? 1,
      current: 0,
      ejected: false,
    }));
  }

  readmit(nodeId: string): void {
    this.nodes = this.nodes.map((n) => (n.id === nodeId ? { ...n, ejected: false } : n));
  }

  /** Session ids on a node. */
  sessionsOn(nodeId: string): string[] {
    return [...this.sessions].filter(([, node]) => node === nodeId).map(([id]) => id);
  }

  async topology(): Promise<TopologyNode[]> {
    this.check('topology');
    return this.nodes.map((n) => ({
      id: n.id,
      uri: n.uri,
      state: 'active',
      health: n.ejected ? 'down' : 'up',
      ejectedUntil: null,
    }));
  }

  async place(sessionId: string): Promise<Placed | undefined> {
    this.check(`place ${sessionId}`);
    const existing = this.sessions.get(sessionId);
    if (existing) return this.placed(existing);
    const picked = pick(this.nodes, (n) => !n.ejected);
    if (!picked) return undefined;
    this.nodes = picked.nodes;
    this.sessions.set(sessionId, picked.id);
    return this.placed(picked.id);
  }

  async placeOn(sessionId: string, nodeId: string): Promise<void> {
    this.check(`placeOn ${sessionId} ${nodeId}`);
    this.sessions.set(sessionId, nodeId);
  }

  async rename(from: string, to: string): Promise<void> {
    this.check(`rename ${from} ${to}`);
    const node = this.sessions.get(from);
    if (node === undefined) throw new Error(`404 ${from}`);
    if (this.sessions.has(to)) throw new Error(`409 ${to}`);
    this.sessions.delete(from);
    this.sessions.set(to, node);
  }

  async find(sessionId: string): Promise<Placed | undefined> {
    this.check(`find ${sessionId}`);
    const node = this.sessions.get(sessionId);
    return node === undefined ? undefined : this.placed(node);
  }

  async release(sessionId: string): Promise<void> {
    this.check(`release ${sessionId}`);
    this.sessions.delete(sessionId);
  }

  async reportFailure(nodeId: string, reason: string): Promise<void> {
    this.check(`reportFailure ${nodeId}`);
    this.failures.push({ nodeId, reason });
    this.nodes = this.nodes.map((n) => (n.id === nodeId ? { ...n, ejected: true } : n));
  }

  async *sessionIds(): AsyncIterable<string> {
    this.check('sessionIds');
    yield* [...this.sessions.keys()];
  }

  private placed(nodeId: string): Placed {
    const node = this.nodes.find((n) => n.id === nodeId);
    return { nodeId, kmsUri: node?.uri ?? '' };
  }

  private check(call: string): void {
    this.calls.push(call);
    const fails = typeof this.unreachable === 'function' ? this.unreachable(call) : this.unreachable;
    if (fails) throw new FleetUnavailableError('control plane unreachable', 'network');
  }
}
