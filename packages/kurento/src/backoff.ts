/** Retry delays: doubling from `initialMs`, capped at `maxMs`. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/**
 * The delay in whole ms before retry number `attempt` (1 for the first retry), with "equal jitter": somewhere in
 * the upper half of the doubled delay, so that clients that failed together (agents restarted by one outage,
 * app servers that lost the control plane at once) do not come back in lockstep, while the delay still grows.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  // Capped so that 2 ** exponent stays finite whatever the attempt count.
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
