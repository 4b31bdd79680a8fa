/**
 * @module @kurento-fleet/kurento — the one wrapper around kurento-client 7.3: its types, a constructor that
 * cannot crash the process, an immediate close, callbacks as promises with a deadline, and the backoff every
 * retry loop of the repository uses. See docs/kurento-protocol.md for the client quirks behind each piece.
 */
export { type BackoffPolicy, backoffDelay } from './backoff';
export { KurentoTimeoutError, kurentoCall } from './call';
export { closeKurentoClient } from './close';
export { type CreateKurentoClientOptions, createKurentoClient } from './connect';
export { loadKurentoClient } from './load';
export { guardSubscriptionErrors } from './subscription-errors';
export type {
  Callback,
  IceCandidate,
  KurentoClient,
  KurentoClientFactory,
  KurentoClientModule,
  KurentoClientOptions,
  KurentoError,
  MediaElement,
  MediaObject,
  MediaPipeline,
  ReconnectEmitter,
  ServerInfo,
  ServerManager,
  Transaction,
  WebRtcEndpoint,
} from './types';
