import type { EventEmitter } from 'node:events';

// kurento-client 7.3 ships no types. These cover what the helper and the guide use, as plain interfaces rather
// than an ambient `declare module`: the emulator package declares that module for its own tests, and two
// ambient declarations of it would collide in the monorepo-wide typecheck. Extend them where you need more.

/** An error as kurento-client builds it from a JSON-RPC error. */
export interface KurentoError extends Error {
  code?: number;
  data?: { type?: string };
}

/** Node-style callback. Prefer it to the promise forms, which resolve `undefined` on server errors. */
export type Callback<T> = (error: KurentoError | null | undefined, result: T) => void;

/** A proxy of a server object. */
export interface MediaObject extends EventEmitter {
  readonly id: string;
  release(callback?: Callback<void>): unknown;
  addTag(key: string, value: string, callback: Callback<void>): unknown;
  getTag(key: string, callback: Callback<string>): unknown;
  getTags(callback: Callback<Array<{ key: string; value: string }>>): unknown;
}

export interface MediaElement extends MediaObject {
  connect(sink: MediaElement, callback: Callback<void>): unknown;
  disconnect(sink: MediaElement, callback: Callback<void>): unknown;
}

export interface WebRtcEndpoint extends MediaElement {
  processOffer(offer: string, callback: Callback<string>): unknown;
  gatherCandidates(callback: Callback<void>): unknown;
  addIceCandidate(candidate: unknown, callback: Callback<void>): unknown;
}

export interface MediaPipeline extends MediaObject {
  create(type: 'WebRtcEndpoint', callback: Callback<WebRtcEndpoint>): unknown;
  create(type: string, callback: Callback<MediaElement>): unknown;
  create(type: string, params: Record<string, unknown>, callback: Callback<MediaElement>): unknown;
}

export interface ServerInfo {
  version: string;
  type: string;
  capabilities: string[];
  modules: Array<{ name: string; version: string }>;
}

export interface ServerManager extends MediaObject {
  getInfo(callback: Callback<ServerInfo>): unknown;
  getPipelines(callback: Callback<MediaPipeline[]>): unknown;
}

/** reconnect-core's emitter behind the client's socket (reconnect-ws 0.1.0 with the override). */
export interface ReconnectEmitter extends EventEmitter {
  /** True while a socket is open. */
  readonly connected: boolean;
  /** False once the client gave up (`failAfter`) or was closed. */
  readonly reconnect: boolean;
  /** Stops reconnecting and ends the socket. */
  disconnect(): void;
}

/**
 * A kurento-client `KurentoClient`. It emits `reconnected(sameSession)` after a lost socket comes back
 * (`false`: the KMS restarted and every media object is gone) and `disconnect` once it gives up. At runtime it
 * is also a thenable, left out here: an `async` function that returns it hands back a copy, not the client.
 */
export interface KurentoClient extends EventEmitter {
  /** Non-enumerable getter: the reconnecting socket. */
  readonly _re: ReconnectEmitter;
  getServerManager(callback: Callback<ServerManager>): unknown;
  create(type: 'MediaPipeline', callback: Callback<MediaPipeline>): unknown;
  getMediaobjectById(id: string, callback: Callback<MediaObject>): unknown;
  close(): void;
}

export interface KurentoClientOptions {
  failAfter?: number;
  strict?: boolean;
  request_timeout?: number;
  response_timeout?: number;
}

/** The kurento-client module's default export. */
export type KurentoClientFactory = (
  uri: string,
  options: KurentoClientOptions,
  callback: Callback<unknown>,
) => KurentoClient;
