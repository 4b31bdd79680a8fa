import kurentoClient, { type Callback, type KurentoClient, type KurentoClientOptions } from 'kurento-client';

/**
 * A real npm kurento-client on `url`. The reconnect-ws override emits 'error' unguarded, so a refused
 * (re)connection would crash the process without the listener.
 */
export function openNpmClient(url: string, options?: KurentoClientOptions): KurentoClient {
  const client = kurentoClient(url, options);
  client._re.on('error', () => {});
  return client;
}

/**
 * Calls a node-style client method as a promise. The client's own promises resolve `undefined` on server
 * errors and some never settle, so callers use callbacks, with a timeout.
 */
export function call<T>(invoke: (callback: Callback<T>) => unknown, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    invoke((error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
  });
}
