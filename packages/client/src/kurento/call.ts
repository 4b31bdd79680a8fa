import type { Callback } from './kurento-types';

/**
 * Runs one kurento-client call given a node-style callback, as a promise that rejects on a server error or
 * after `timeoutMs`. kurento-client's own promises resolve `undefined` on server errors, and some never settle.
 *
 * @example const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
 */
export function kurentoCall<T>(invoke: (callback: Callback<T>) => unknown, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () => settle(new Error(`no answer from the KMS within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // kurento-client rethrows what a callback throws into a promise nobody handles: this one cannot throw.
    const settle = (error: unknown, result?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result as T);
    };
    try {
      invoke((error, result) => settle(error, result));
    } catch (error) {
      settle(error);
    }
  });
}
