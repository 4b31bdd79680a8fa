import type { EventEmitter } from 'node:events';

// kurento-client 7.3 ships no types. These are the one description of the part of it this repository uses
// (the agent, the SDK's Kurento entry, the tests); extend them here when you use more. The same types back the
// `declare module 'kurento-client'` beside this file.

/** An error as kurento-client builds it from a JSON-RPC error: the code and data are the server's. */
export interface KurentoError extends Error {
  code?: number;
  data?: { type?: string };
}

/**
 * Node-style callback. Use it rather than the promise forms, which resolve `undefined` on server errors (some
 * never settle at all); {@link kurentoCall} turns it into a promise that rejects.
 */
export type Callback<T> = (error: KurentoError | null | undefined, result: T) => void;

/** A proxy of a server object. */
export interface MediaObject extends EventEmitter {
  readonly id: string;
  release(callback?: Callback<void>): unknown;
  getName(callback: Callback<string>): unknown;
  setName(name: string, callback: Callback<void>): unknown;
  getParent(callback: Callback<MediaObject | null>): unknown;
  getChildren(callback: Callback<MediaObject[]>): unknown;
  /** Epoch seconds. */
  getCreationTime(callback: Callback<number>): unknown;
  addTag(key: string, value: string, callback: Callback<void>): unknown;
  /** Inside an explicit transaction: the operation is sent with the transaction's commit. */
  addTag(transaction: Transaction, key: string, value: string, callback: Callback<void>): unknown;
  getTag(key: string, callback: Callback<string>): unknown;
  getTags(callback: Callback<Array<{ key: string; value: string }>>): unknown;
  removeTag(key: string, callback: Callback<void>): unknown;
}

export interface MediaElement extends MediaObject {
  connect(sink: MediaElement, callback: Callback<void>): unknown;
  disconnect(sink: MediaElement, callback: Callback<void>): unknown;
  getSinkConnections(callback: Callback<unknown[]>): unknown;
}

/** An IceCandidate complex value; `getComplexType('IceCandidate')` of the module builds one. */
export interface IceCandidate {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

export interface WebRtcEndpoint extends MediaElement {
  generateOffer(callback: Callback<string>): unknown;
  processOffer(offer: string, callback: Callback<string>): unknown;
  processAnswer(answer: string, callback: Callback<string>): unknown;
  gatherCandidates(callback: Callback<void>): unknown;
  addIceCandidate(candidate: IceCandidate, callback?: Callback<void>): unknown;
  /** RTCStats-like records keyed by id (inbound/outbound RTP, candidate pair…). */
  getStats(callback: Callback<Record<string, Record<string, unknown>>>): unknown;
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
  modules: Array<{ name: string; version: string; generationTime: string; factories: string[] }>;
}

export interface ServerManager extends MediaObject {
  getInfo(callback: Callback<ServerInfo>): unknown;
  /** Describes (and caches, for good) a proxy per pipeline id it has not seen; see `_invoke`. */
  getPipelines(callback: Callback<MediaPipeline[]>): unknown;
  getSessions(callback: Callback<string[]>): unknown;
  getCpuCount(callback: Callback<number>): unknown;
  /** Percent of one core (100 = one core busy); the KMS samples for `interval` ms before it answers. */
  getUsedCpu(interval: number, callback: Callback<number>): unknown;
  /** Resident memory in KiB. */
  getUsedMemory(callback: Callback<number>): unknown;
  /**
   * The raw invoke under every generated method. `getPipelines` through it returns the id strings, with no
   * proxy cached for pipelines that other clients create and release.
   */
  _invoke(transaction: undefined, operation: string, callback: Callback<unknown>): unknown;
}

/** An explicit transaction: operations given it as their first argument are sent together by `commit`. */
export interface Transaction {
  commit(callback: Callback<unknown>): unknown;
  rollback(callback?: Callback<void>): unknown;
}

/** reconnect-core's emitter behind the client's socket (reconnect-ws 0.1.0, see docs/kurento-protocol.md). */
export interface ReconnectEmitter extends EventEmitter {
  /** True while a socket is open. */
  readonly connected: boolean;
  /** False once the client gave up (`failAfter`) or was closed: no more attempts. */
  readonly reconnect: boolean;
  /** Resets the backoff and attempts a connection now. Only while no attempt is in flight. */
  reset(): void;
  /** Stops reconnecting and ends the current socket. */
  disconnect(): void;
}

/**
 * A kurento-client `KurentoClient`. It emits `connected` on its first connection, `reconnected(sameSession)`
 * after a lost socket comes back (`false`: the KMS restarted and every media object is gone) and `disconnect`
 * once it gives up. At run time it is also a thenable, left out here on purpose: an `async` function that returns
 * it, or a promise resolved with it, hands back a copy, not the client.
 */
export interface KurentoClient extends EventEmitter {
  /** The session id the KMS gave this client; throws once the client gave up (`failAfter`). */
  readonly sessionId: string | undefined;
  /** Non-enumerable getter: the reconnecting socket. {@link createKurentoClient} guards its 'error'. */
  readonly _re: ReconnectEmitter;
  getServerManager(callback: Callback<ServerManager>): unknown;
  create(type: 'MediaPipeline', callback: Callback<MediaPipeline>): unknown;
  create(transaction: Transaction, type: 'MediaPipeline', callback?: Callback<MediaPipeline>): MediaPipeline;
  getMediaobjectById(id: string, callback: Callback<MediaObject>): unknown;
  /** Needs the `enableTransactions` option, and kurento-client loaded by {@link loadKurentoClient}. */
  beginTransaction(): Transaction;
  /** Ends the session once the last call settled; see {@link closeKurentoClient} for an immediate close. */
  close(): void;
}

/** kurento-client's own options (the ones this repository sets). */
export interface KurentoClientOptions {
  /** Reconnection attempts before the client gives up and emits `disconnect`; Infinity by default. */
  failAfter?: number;
  /** Checks the KMS's modules at connection; see {@link createKurentoClient} for why the wrapper turns it off. */
  strict?: boolean;
  enableTransactions?: boolean;
  /** Batches the calls made in one tick into one `transaction` request. */
  useImplicitTransactions?: boolean;
  request_timeout?: number;
  response_timeout?: number;
  duplicates_timeout?: number;
}

/** The kurento-client module's default export: makes a client and starts connecting. */
export type KurentoClientFactory = (
  uri: string,
  options: KurentoClientOptions,
  callback: Callback<unknown>,
) => KurentoClient;

/** The module itself: the factory, and the constructors of complex values the tutorials use. */
export type KurentoClientModule = KurentoClientFactory & {
  getComplexType(name: 'IceCandidate'): (value: IceCandidate) => IceCandidate;
};
