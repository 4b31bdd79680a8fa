import type { Callback } from './types';

/** A kurento-client call that got no answer in time. */
export class KurentoTimeoutError extends Error {
  override name = 'KurentoTimeoutError';
}

/**
 * Runs one kurento-client call given a node-style callback, as a promise that rejects on a server error, when
 * the call throws, or after `timeoutMs`. kurento-client's own promise forms resolve `undefined` on server errors,
 * and some (getPipelines, getChildren…) never settle.
 *
 * `timeoutMs: Infinity` sets no deadline, for a caller that holds one over several calls: the promise then
 * settles exactly when the KMS answers (kurento-client's own request timeout, 20 s, ends a lost call).
 *
 * @example const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
 */
export function kurentoCall<T>(invoke: (callback: Callback<T>) => unknown, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(
          () => settle(new KurentoTimeoutError(`no answer from the KMS within ${timeoutMs} ms`)),
          timeoutMs,
        )
      : undefined;
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
      settle(error ?? new Error('the call threw'));
    }
  });
}
