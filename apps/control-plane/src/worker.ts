import { type FleetDb, housekeep, watchOutbox } from '@kurento-fleet/db';
import { type D1Like, d1Client } from '@kurento-fleet/db/d1';
import { jsonLogger, type Logger } from '@kurento-fleet/log';
import { type App, createApp } from './app';
import { scalarScriptEmbedded } from './docs/scalar-embedded';
import {
  type ConfigVariable,
  deliverySettingsFrom,
  fleetDbSettings,
  parseConfig,
  streamOptionsFrom,
} from './env';
import { gaugesOnlyMetrics } from './metrics/gauges-only';
import { OutboxSignal } from './outbox-signal';
import { type Budget, WebhookDispatcher } from './webhooks/dispatcher';
import { sealWebhookSecrets } from './webhooks/seal-secrets';

/** The Worker's bindings: the D1 database, and the configuration's variables as text (env.ts). */
export type WorkerEnv = { DB: D1Like } & Partial<Record<ConfigVariable, string>>;

/** The part of the Workers ExecutionContext this entry uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface WorkerOptions {
  /** The clock; a test entry passes its own. */
  now?: () => number;
  /**
   * Deliver webhooks after the requests that wrote events (default true). The route tests turn it off and
   * deliver at the moments they choose, so that no delivery runs behind their backs.
   */
  deliverAfterRequests?: boolean;
}

/*
 * Delivery budgets. After an answer, waitUntil may run 30 s; a cron invocation runs far longer, but the next one
 * comes a minute later. Attempts: each is a subrequest, of which the free plan allows 50 an invocation (with the
 * database's own calls besides); what is left over goes to the next request or cron.
 */
const afterRequest = { ms: 25_000, attempts: 20 };
const onCron = { ms: 50_000, attempts: 20 };
const budget = (limits: { ms: number; attempts: number }): Budget => ({
  until: Date.now() + limits.ms,
  attempts: limits.attempts,
});

/**
 * The Workers entry: the same app as on Node, over D1. The app is built on the first request of an isolate
 * (bindings only exist then) and reused; configuration is validated then, and a bad binding fails every
 * request with a log line naming it. The cron trigger sweeps nodes that went silent into the event log and
 * delivers the outbox to webhooks; after each request that wrote events (or once a retry is due), the isolate
 * delivers too, in `waitUntil`, after its answer has left.
 */
export function createWorker(options: WorkerOptions = {}) {
  let built: { app: App; db: FleetDb; dispatcher: WebhookDispatcher; log: Logger } | undefined;
  /** Events were written by this isolate since its last delivery, or a retry is due then (the database's clock). */
  let written = false;
  let dueAt: number | null = null;

  const build = (env: WorkerEnv) => {
    if (built) return built;
    const { DB: _database, ...variables } = env;
    const config = parseConfig(variables);
    const outbox = new OutboxSignal();
    outbox.listen(() => {
      written = true;
    });
    const db: FleetDb = {
      client: watchOutbox(d1Client(env.DB), outbox.notify),
      now: options.now ?? Date.now,
      ...fleetDbSettings(config),
    };
    const log = jsonLogger();
    const app = createApp({
      db,
      adminToken: config.FLEET_ADMIN_TOKEN,
      heartbeatIntervalMs: config.FLEET_HEARTBEAT_INTERVAL_MS,
      log,
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
      stream: streamOptionsFrom(config, outbox),
    });
    const dispatcher = new WebhookDispatcher({ db, settings: deliverySettingsFrom(config), log });
    built = { app, db, dispatcher, log };
    return built;
  };

  /** Delivers the outbox within `limits`, and notes when the next retry is due. */
  const deliver = async (limits: { ms: number; attempts: number }) => {
    const { dispatcher, log } = built as NonNullable<typeof built>;
    written = false;
    try {
      dueAt = await dispatcher.drain(budget(limits));
    } catch (error) {
      log.error('webhook delivery failed', { error: String(error) });
    }
  };

  return {
    async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext) {
      const { app, db } = build(env);
      const response = await app.fetch(request, env, ctx as never);
      if (options.deliverAfterRequests !== false && (written || (dueAt !== null && db.now() >= dueAt)))
        ctx.waitUntil(deliver(afterRequest));
      return response;
    },
    async scheduled(_controller: unknown, env: WorkerEnv) {
      const { db, log } = build(env);
      await housekeep(db);
      await sealWebhookSecrets(db, log);
      await deliver(onCron);
    },
    /** One delivery pass to its end, as the cron makes it: what the route tests call between their steps. */
    async deliver(env: WorkerEnv) {
      build(env);
      await deliver(onCron);
    },
  };
}

const worker = createWorker();
// Only the handlers: Workers reads fetch and scheduled off the default export.
export default { fetch: worker.fetch, scheduled: worker.scheduled };
