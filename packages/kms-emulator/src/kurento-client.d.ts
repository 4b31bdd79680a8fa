// The npm kurento-client 7.3 ships no types; this covers what the emulator's tests use.
declare module 'kurento-client' {
  import type { EventEmitter } from 'node:events';

  /** Errors as the client builds them: code and data copied from the JSON-RPC error (§4). */
  export interface KurentoClientError extends Error {
    code?: number;
    data?: { type?: string };
  }

  export type Callback<T> = (error: KurentoClientError | null | undefined, result: T) => void;

  /** A proxy of a server object. (At runtime it is also a thenable; that is left out on purpose.) */
  export interface MediaObject extends EventEmitter {
    readonly id: string;
    release(callback?: Callback<void>): unknown;
    getName(callback: Callback<string>): unknown;
    setName(name: string, callback: Callback<void>): unknown;
    getParent(callback: Callback<MediaObject | null>): unknown;
    getChildren(callback: Callback<MediaObject[]>): unknown;
    addTag(key: string, value: string, callback: Callback<void>): unknown;
    getTag(key: string, callback: Callback<string>): unknown;
    getTags(callback: Callback<Array<{ key: string; value: string }>>): unknown;
    removeTag(key: string, callback: Callback<void>): unknown;
  }

  export interface MediaElement extends MediaObject {
    connect(sink: MediaElement, callback: Callback<void>): unknown;
    disconnect(sink: MediaElement, callback: Callback<void>): unknown;
    getSinkConnections(callback: Callback<unknown[]>): unknown;
  }

  /** An IceCandidate complex value (kurento.getComplexType('IceCandidate') builds one). */
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
    getStats(callback: Callback<Record<string, Record<string, unknown>>>): unknown;
  }

  export interface MediaPipeline extends MediaObject {
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
    getPipelines(callback: Callback<MediaPipeline[]>): unknown;
    getSessions(callback: Callback<string[]>): unknown;
    getUsedCpu(interval: number, callback: Callback<number>): unknown;
    getUsedMemory(callback: Callback<number>): unknown;
    getCpuCount(callback: Callback<number>): unknown;
  }

  export interface KurentoClientOptions {
    failAfter?: number;
    strict?: boolean;
    enableTransactions?: boolean;
    useImplicitTransactions?: boolean;
    request_timeout?: number;
    response_timeout?: number;
  }

  /** The client once connected (what `await client` gives). */
  export interface KurentoClientApi extends EventEmitter {
    readonly sessionId: string | undefined;
    /** The reconnect-ws instance (§0): attach an 'error' listener or a refused reconnection crashes Node. */
    readonly _re: EventEmitter;
    close(): void;
    getServerManager(callback: Callback<ServerManager>): unknown;
    create(type: 'MediaPipeline', callback: Callback<MediaPipeline>): unknown;
    create(type: string, callback: Callback<MediaObject>): unknown;
  }

  export interface KurentoClient extends KurentoClientApi {
    then<R = KurentoClientApi>(onFulfilled?: (client: KurentoClientApi) => R | PromiseLike<R>): Promise<R>;
  }

  export type KurentoClientFactory = (
    url: string,
    options?: KurentoClientOptions,
    callback?: Callback<KurentoClientApi>,
  ) => KurentoClient;

  const kurentoClient: KurentoClientFactory & {
    /** The constructor of a complex type, e.g. getComplexType('IceCandidate')(browserCandidate). */
    getComplexType(name: 'IceCandidate'): (value: IceCandidate) => IceCandidate;
  };
  export = kurentoClient;
}
