/**
 * A control plane (either runtime) whose state is under `path` and whose webhooks are delivered within seconds:
 * the settings the webhook tests share.
 */
export const quickWebhookEnv = (path: string): Record<string, string> => ({
  FLEET_DB_PATH: `${path}/fleet.db`,
  FLEET_EDGE_STATE_DIR: path,
  // The cron of start:edge runs at this interval; nodes stay up for the whole test.
  FLEET_HEARTBEAT_INTERVAL_MS: '200',
  FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
  FLEET_OUTBOX_POLL_MS: '100',
  FLEET_WEBHOOK_BACKOFF_MS: '100',
  FLEET_WEBHOOK_MAX_BACKOFF_MS: '400',
  // A process stopped in the middle of a pass leaves its lease (3 × this) to run out: seconds, not 30.
  FLEET_WEBHOOK_TIMEOUT_MS: '2000',
});
