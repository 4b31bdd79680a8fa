import { loadKurentoClient } from './load';
import type { KurentoClient, KurentoClientFactory, KurentoClientOptions } from './types';

/** Options of {@link createKurentoClient}. */
export interface CreateKurentoClientOptions {
  /** kurento-client's own options. `strict` defaults to false here (see createKurentoClient). */
  client?: KurentoClientOptions;
  /** kurento-client's default export; {@link loadKurentoClient}'s by default. Tests pass fakes. */
  factory?: KurentoClientFactory;
  /**
   * Hears the reconnecting socket's errors (a refused or failed attempt). They are handled either way; a
   * listener that throws is ignored rather than turning a handled error into a crash.
   */
  onSocketError?: (error: unknown) => void;
}

/**
 * Makes a KurentoClient that cannot crash the process, and starts its connection.
 *
 * - The reconnecting socket (`client._re`, reconnect-core with the reconnect-ws 0.1.0 override) emits 'error' on
 *   every refused or failed attempt; with no listener Node throws it, and a KMS that is down or restarting
 *   takes the process with it. The listener goes on before the first attempt can fail, and stays for good (a
 *   closed client's hung socket may still fail later).
 * - `strict: false` unless asked: strict mode checks the KMS's modules through the promise forms at connection,
 *   and its promise rejects unhandled when that check fails.
 * - The constructor's callback is taken (and ignored): without one the connection outcome is a promise nobody
 *   handles. Watch `client._re`'s 'connection' and 'fail', or `onSocketError`, instead.
 */
export function createKurentoClient(uri: string, options: CreateKurentoClientOptions = {}): KurentoClient {
  const factory = options.factory ?? loadKurentoClient();
  const client = factory(uri, { strict: false, ...options.client }, () => {});
  const onSocketError = options.onSocketError;
  client._re.on('error', (error: unknown) => {
    try {
      onSocketError?.(error);
    } catch {
      // The error is handled; a faulty listener must not make it a crash.
    }
  });
  return client;
}
