import type { FleetDb } from '@kurento-fleet/db';
import { d1Client } from '@kurento-fleet/db/d1';
import { applyMigrations } from '@kurento-fleet/db/migrations';
import { readMigrations } from '@kurento-fleet/db/node';
import { Miniflare } from 'miniflare';
import type { Config } from '../env';
import { bundleWorker, workerEntry } from './bundle';

const compatibilityDate = '2025-12-01';

export interface LocalWorker {
  url: URL;
  mf: Miniflare;
  /** The Worker's D1 database, reached from Node (migrations, the admin token, checks). */
  db: FleetDb;
}

/**
 * Runs a Worker entry in the real workerd runtime through miniflare, with a local D1 database persisted under
 * `stateDir` (or in memory), migrated from the same drizzle/ folder as the Node entry.
 */
export async function startLocalWorker(options: {
  config: Config;
  stateDir?: string | undefined;
  entry?: string;
}): Promise<LocalWorker> {
  const { config } = options;
  const { code } = await bundleWorker(options.entry ?? workerEntry);
  const bindings: Record<string, string> = {
    FLEET_HEARTBEAT_INTERVAL_MS: String(config.FLEET_HEARTBEAT_INTERVAL_MS),
    FLEET_HEARTBEAT_TIMEOUT_MS: String(config.FLEET_HEARTBEAT_TIMEOUT_MS),
  };
  if (config.FLEET_ADMIN_TOKEN !== undefined) bindings.FLEET_ADMIN_TOKEN = config.FLEET_ADMIN_TOKEN;
  if (config.FLEET_METRICS_PUBLIC) bindings.FLEET_METRICS_PUBLIC = 'true';
  if (config.FLEET_CORS_ORIGINS.length) bindings.FLEET_CORS_ORIGINS = config.FLEET_CORS_ORIGINS.join(',');
  bindings.FLEET_AUTH_FAILURES_PER_MINUTE = String(config.FLEET_AUTH_FAILURES_PER_MINUTE);
  bindings.FLEET_EJECTION_MS = String(config.FLEET_EJECTION_MS);
  bindings.FLEET_MAX_EJECTED_PERCENT = String(config.FLEET_MAX_EJECTED_PERCENT);
  bindings.FLEET_SLOW_START_MS = String(config.FLEET_SLOW_START_MS);
  bindings.FLEET_MAX_CPU_PERCENT = String(config.FLEET_MAX_CPU_PERCENT);
  if (config.FLEET_TRUST_CF_CONNECTING_IP) bindings.FLEET_TRUST_CF_CONNECTING_IP = 'true';
  for (const name of [
    'FLEET_WEBHOOK_BACKOFF_MS',
    'FLEET_WEBHOOK_MAX_BACKOFF_MS',
    'FLEET_WEBHOOK_TIMEOUT_MS',
    'FLEET_WEBHOOK_RETRY_WINDOW_MS',
    'FLEET_OUTBOX_POLL_MS',
    'FLEET_EVENT_RETENTION_MS',
    'FLEET_STREAM_KEEPALIVE_MS',
  ] as const)
    bindings[name] = String(config[name]);
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.js', contents: code }],
    compatibilityDate,
    d1Databases: { DB: 'kurento-fleet' },
    ...(options.stateDir === undefined ? {} : { d1Persist: options.stateDir }),
    bindings,
    host: config.HOST,
    port: config.PORT,
  });
  const url = await mf.ready;
  const client = d1Client(await mf.getD1Database('DB'));
  await applyMigrations(client, readMigrations());
  return { url, mf, db: { client, now: Date.now, heartbeatTimeoutMs: config.FLEET_HEARTBEAT_TIMEOUT_MS } };
}
