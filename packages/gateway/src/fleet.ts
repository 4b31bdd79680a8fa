import {
  type FleetClient,
  NoNodeAvailableError,
  NotFoundError,
  type TopologyNode,
} from '@kurento-fleet/client';

export type { TopologyNode } from '@kurento-fleet/client';

/** Where the fleet put a session. */
export interface Placed {
  nodeId: string;
  kmsUri: string;
}

/**
 * What the gateway asks of the control plane. The real one goes through the SDK ({@link sdkFleet}); unit tests
 * give an in-memory double.
 */
export interface GatewayFleet {
  /** Every KMS with its state and health. */
  topology(): Promise<TopologyNode[]>;
  /** A new placement (smooth weighted round robin), or undefined when no node can take one. */
  place(sessionId: string): Promise<Placed | undefined>;
  /** Registers a session on a given node, consuming no scheduler pick. */
  placeOn(sessionId: string, nodeId: string): Promise<void>;
  /** Renames a session: same node, no scheduler pick. */
  rename(from: string, to: string): Promise<void>;
  /** Where a session lives, or undefined when the fleet does not know it. */
  find(sessionId: string): Promise<Placed | undefined>;
  /** Releases a session; one the fleet no longer knows is not an error. */
  release(sessionId: string): Promise<void>;
  /** Takes a node the gateway cannot reach out of rotation. */
  reportFailure(nodeId: string, reason: string): Promise<void>;
  /** Every session id, page by page (to find the gateway's own leftovers). */
  sessionIds(): AsyncIterable<string>;
}

/** The fleet through the SDK, with an app token. */
export function sdkFleet(client: FleetClient): GatewayFleet {
  return {
    topology: () => client.topology(),
    async place(sessionId) {
      try {
        const { assignment } = await client.assignSession(sessionId);
        return { nodeId: assignment.nodeId, kmsUri: assignment.kmsUri };
      } catch (error) {
        if (error instanceof NoNodeAvailableError) return undefined;
        throw error;
      }
    },
    async placeOn(sessionId, nodeId) {
      await client.assignSession(sessionId, { nodeId });
    },
    async rename(from, to) {
      await client.renameSession(from, to);
    },
    async find(sessionId) {
      try {
        const assignment = await client.getSession(sessionId);
        return { nodeId: assignment.nodeId, kmsUri: assignment.kmsUri };
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async release(sessionId) {
      try {
        await client.releaseSession(sessionId);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
    async reportFailure(nodeId, reason) {
      await client.reportFailure(nodeId, reason);
    },
    async *sessionIds() {
      for await (const session of client.iterateSessions({ limit: 1000 })) yield session.sessionId;
    },
  };
}
