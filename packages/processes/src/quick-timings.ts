/**
 * Short heartbeats and probes, so that a fleet of processes (the tests, `pnpm demo`) shows a KMS's death in a
 * fraction of a second; production runs the same code with the defaults (heartbeats every 2 s, down after 6 s;
 * a probe a second under a 1.5 s deadline).
 */
export const QUICK_HEARTBEATS = { intervalMs: 500, timeoutMs: 1500 } as const;

/** The control plane's variables for {@link QUICK_HEARTBEATS}. */
export const quickHeartbeatSettings = {
  FLEET_HEARTBEAT_INTERVAL_MS: String(QUICK_HEARTBEATS.intervalMs),
  FLEET_HEARTBEAT_TIMEOUT_MS: String(QUICK_HEARTBEATS.timeoutMs),
} as const;

/** An agent's variables that fit {@link QUICK_HEARTBEATS}: a probe every 250 ms under a 600 ms deadline. */
export const quickAgentSettings = {
  FLEET_PROBE_INTERVAL_MS: '250',
  FLEET_PROBE_DEADLINE_MS: '600',
  FLEET_CPU_SAMPLE_MS: '100',
} as const;
