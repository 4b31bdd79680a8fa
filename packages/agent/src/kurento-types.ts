import type { EventEmitter } from 'node:events';

// kurento-client 7.3 ships no types. These cover what the agent uses, as plain interfaces rather than an
// ambient `declare module`: the emulator package declares that module for its own tests, and two ambient
// declarations of it would collide in the monorepo-wide typecheck.

export interface KurentoError extends Error {
  code?: number;
  data?: { type?: string };
}

export type Callback<T> = (error: KurentoError | null | undefined, result: T) => void;

export interface ServerInfo {
  version: string;
  type: string;
}

/** The ServerManager proxy. Only node-style callbacks are used: the promise forms hide server errors (§8). */
export interface ServerManager {
  readonly id: string;
  getInfo(callback: Callback<ServerInfo>): unknown;
  getCpuCount(callback: Callback<number>): unknown;
  getUsedCpu(interval: number, callback: Callback<number>): unknown;
  getUsedMemory(callback: Callback<number>): unknown;
  getCreationTime(callback: Callback<number>): unknown;
  /**
   * The raw invoke under every generated method. `getPipelines` through it returns the id strings; the public
   * `getPipelines` describes and caches a proxy per new id, a cache that is never emptied for pipelines
   * other clients release.
   */
  _invoke(transaction: undefined, operation: string, callback: Callback<unknown>): unknown;
}

/** reconnect-core's emitter behind the client's socket (reconnect-ws 0.1.0 with the override, §0). */
export interface ReconnectEmitter extends EventEmitter {
  /** True while a socket is open. */
  readonly connected: boolean;
  /** False once `disconnect()` was called: no more attempts. */
  readonly reconnect: boolean;
  /** Resets the backoff and attempts a connection now. */
  reset(): void;
  /** Stops reconnecting and ends the current socket. */
  disconnect(): void;
}

export interface KurentoClient extends EventEmitter {
  /** Non-enumerable getter (KC KurentoClient.js:924): the reconnecting socket. */
  readonly _re: ReconnectEmitter;
  getServerManager(callback: Callback<ServerManager>): unknown;
  close(): void;
}

export interface KurentoClientOptions {
  failAfter?: number;
  strict?: boolean;
  request_timeout?: number;
  response_timeout?: number;
  duplicates_timeout?: number;
}

export type KurentoClientFactory = (
  uri: string,
  options: KurentoClientOptions,
  callback: Callback<unknown>,
) => KurentoClient;
