/** Retry delays: doubling from `initialMs`, capped at `maxMs`. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5000 };

/**
 * The delay before retry number `attempt` (1 for the first retry), with "equal jitter": somewhere in the upper
 * half of the doubled delay, so that agents restarted together by one outage do not hit a returning control
 * plane in lockstep, while the delay still grows.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
