import { type FleetDb, housekeep } from '@kurento-fleet/db';
import { type D1Like, d1Client } from '@kurento-fleet/db/d1';
import { jsonLogger } from '@kurento-fleet/log';
import { type App, createApp } from './app';
import { scalarScriptEmbedded } from './docs/scalar-embedded';
import { type ConfigVariable, parseConfig, policyFrom } from './env';
import { gaugesOnlyMetrics } from './metrics/gauges-only';

/** The Worker's bindings: the D1 database, and the configuration's variables as text (env.ts). */
export type WorkerEnv = { DB: D1Like } & Partial<Record<ConfigVariable, string>>;

export interface WorkerOptions {
  /** The clock; a test entry passes its own. */
  now?: () => number;
}

/**
 * The Workers entry: the same app as on Node, over D1. The app is built on the first request of an isolate
 * (bindings only exist then) and reused; configuration is validated then, and a bad binding fails every
 * request with a log line naming it. A cron trigger sweeps nodes that went silent into the event log.
 */
export function createWorker(options: WorkerOptions = {}) {
  let built: { app: App; db: FleetDb } | undefined;
  const build = (env: WorkerEnv) => {
    if (built) return built;
    const { DB: _database, ...variables } = env;
    const config = parseConfig(variables);
    const db: FleetDb = {
      client: d1Client(env.DB),
      now: options.now ?? Date.now,
      heartbeatTimeoutMs: config.FLEET_HEARTBEAT_TIMEOUT_MS,
      policy: policyFrom(config),
    };
    const app = createApp({
      db,
      adminToken: config.FLEET_ADMIN_TOKEN,
      heartbeatIntervalMs: config.FLEET_HEARTBEAT_INTERVAL_MS,
      log: jsonLogger(),
      // Gauges only: per-isolate counters mean nothing when every scrape reaches another isolate.
      metrics: gaugesOnlyMetrics(),
      metricsPublic: config.FLEET_METRICS_PUBLIC,
      corsOrigins: config.FLEET_CORS_ORIGINS,
      authFailuresPerMinute: config.FLEET_AUTH_FAILURES_PER_MINUTE,
      // Set by Cloudflare's edge from the connection, where a client cannot forge it; anywhere else the client
      // writes it, so without FLEET_TRUST_CF_CONNECTING_IP every client shares one key (valid tokens still pass).
      clientKey: config.FLEET_TRUST_CF_CONNECTING_IP
        ? (c) => c.req.header('cf-connecting-ip')
        : () => undefined,
      scalarScript: scalarScriptEmbedded,
    });
    built = { app, db };
    return built;
  };
  return {
    fetch: (request: Request, env: WorkerEnv) => build(env).app.fetch(request, env),
    scheduled: async (_controller: unknown, env: WorkerEnv) => housekeep(build(env).db),
  };
}

export default createWorker();
