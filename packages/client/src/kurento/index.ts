/**
 * @module @kurento-fleet/client/kurento — a connected kurento-client for a session's node. A separate entry so
 * that users of the plain SDK do not load kurento-client.
 */
import type { FleetClient } from '../client';
import { KurentoPool, type KurentoSession } from './pool';

export { kurentoCall } from './call';
export type {
  Callback,
  KurentoClient,
  KurentoClientFactory,
  KurentoClientOptions,
  KurentoError,
  MediaElement,
  MediaObject,
  MediaPipeline,
  ReconnectEmitter,
  ServerInfo,
  ServerManager,
  WebRtcEndpoint,
} from './kurento-types';
export { KurentoConnectError, KurentoPool, type KurentoPoolOptions, type KurentoSession } from './pool';

let sharedPool: KurentoPool | undefined;

/**
 * Assigns the session (or finds where it lives) and returns a connected KurentoClient for its node, from a
 * process-wide pool that keeps one client per KMS. Make a {@link KurentoPool} instead to choose its options.
 */
export function kurentoForSession(
  fleet: FleetClient,
  sessionId: string,
  options: { nodeId?: string } = {},
): Promise<KurentoSession> {
  sharedPool ??= new KurentoPool();
  return sharedPool.forSession(fleet, sessionId, options);
}

/** Closes the clients of {@link kurentoForSession}'s pool, e.g. at shutdown. */
export function closeKurentoClients(): void {
  sharedPool?.close();
}
