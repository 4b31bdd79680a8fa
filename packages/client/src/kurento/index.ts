/**
 * @module @kurento-fleet/client/kurento — a connected kurento-client for a session's node. A separate entry so
 * that users of the plain SDK do not load kurento-client, an optional peer dependency of this entry only.
 */
import type { FleetClient } from '../client';
import { KurentoPool, type KurentoPoolOptions, type KurentoSession } from './pool';

export {
  type Callback,
  closeKurentoClient,
  type KurentoClient,
  type KurentoClientFactory,
  type KurentoClientOptions,
  type KurentoError,
  KurentoTimeoutError,
  kurentoCall,
  type MediaElement,
  type MediaObject,
  type MediaPipeline,
  type ReconnectEmitter,
  type ServerInfo,
  type ServerManager,
  type WebRtcEndpoint,
} from '@kurento-fleet/kurento';
export { KurentoConnectError, KurentoPool, type KurentoPoolOptions, type KurentoSession } from './pool';

let sharedPool: { pool: KurentoPool; options: KurentoPoolOptions } | undefined;

/**
 * Assigns the session (or finds where it lives) and returns a connected KurentoClient for its node, from a
 * process-wide pool that keeps one client per KMS. The pool options (`factory`, `connectTimeoutMs`, `failAfter`,
 * `onError`) make that pool on the first call; a later call that passes a different value for one of them is
 * refused with a TypeError naming it, rather than silently ignored: pass the same values (one options object
 * kept by the app), or none. Make a {@link KurentoPool} of your own to hold pools with different options.
 *
 * @example kurentoForSession(fleet, 'room-42', { factory: require('kurento-client'), connectTimeoutMs: 3000 })
 */
export function kurentoForSession(
  fleet: FleetClient,
  sessionId: string,
  options: { nodeId?: string } & KurentoPoolOptions = {},
): Promise<KurentoSession> {
  const { nodeId, ...poolOptions } = options;
  if (!sharedPool) sharedPool = { pool: new KurentoPool(poolOptions), options: poolOptions };
  const differs = (Object.keys(poolOptions) as Array<keyof KurentoPoolOptions>).find(
    (key) => poolOptions[key] !== undefined && poolOptions[key] !== sharedPool?.options[key],
  );
  if (differs) {
    return Promise.reject(
      new TypeError(
        `kurentoForSession: the shared pool was made with another ${differs}; pass the same value, or none, or make a KurentoPool`,
      ),
    );
  }
  return sharedPool.pool.forSession(fleet, sessionId, nodeId === undefined ? {} : { nodeId });
}

/** Closes the clients of {@link kurentoForSession}'s pool, e.g. at shutdown; the next call makes a new pool. */
export function closeKurentoClients(): void {
  sharedPool?.pool.close();
  sharedPool = undefined;
}
