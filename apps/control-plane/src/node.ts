import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import {
  ensureAdminToken,
  type FleetDb,
  housekeep,
  lastObservedAt,
  ObservationGaps,
  observedFleetDb,
  storageFailure,
  watchEventLoop,
  watchOutbox,
} from '@kurento-fleet/db';
import { jsonLogger } from '@kurento-fleet/log';
import { createApp } from './app';
import { openDatabase } from './database';
import { scalarScriptFromNodeModules } from './docs/scalar-from-node-modules';
import { ConfigError, deliverySettingsFrom, fleetDbSettings, parseConfig, streamOptionsFrom } from './env';
import { prometheusMetrics } from './metrics/prometheus';
import { OutboxSignal } from './outbox-signal';
import { clientAddress } from './security/client-address';
import { applyServerLimits, serverOptions } from './server-limits';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { runDispatcher } from './webhooks/node-loop';
import { sealWebhookSecrets } from './webhooks/seal-secrets';

/**
 * The Node entry: configuration from the environment, a SQLite file (better-sqlite3, WAL) or a libSQL server,
 * @hono/node-server.
 */
async function main() {
  const log = jsonLogger();
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  const startedAt = Date.now();
  // Health discounts the time this process could not observe: before it started, a locked database, a
  // stalled event loop (see @kurento-fleet/db's observation.ts).
  const gaps = new ObservationGaps();
  // Every commit that writes events wakes this process's webhook deliveries and event streams at once.
  const outbox = new OutboxSignal();
  const db: FleetDb = observedFleetDb({
    client: watchOutbox(database.client, outbox.notify),
    now: Date.now,
    gaps,
    ...fleetDbSettings(config),
  });
  const observedBefore = await lastObservedAt(db);
  if (observedBefore !== null) gaps.addGap(observedBefore, startedAt);
  const unwatch = watchEventLoop(gaps, Date.now);

  await sealWebhookSecrets(db, log);

  if (config.FLEET_ADMIN_TOKEN === undefined) {
    const token = await ensureAdminToken(db);
    // Printed once, on the start that creates it; only its hash is stored.
    if (token)
      log.info('created the first admin token; store it now, it is not shown again', { adminToken: token });
  }

  const closing = new AbortController();
  const app = createApp({
    db,
    adminToken: config.FLEET_ADMIN_TOKEN,
    heartbeatIntervalMs: config.FLEET_HEARTBEAT_INTERVAL_MS,
    log,
    metrics: prometheusMetrics({ defaultMetrics: true }),
    metricsPublic: config.FLEET_METRICS_PUBLIC,
    corsOrigins: config.FLEET_CORS_ORIGINS,
    authFailuresPerMinute: config.FLEET_AUTH_FAILURES_PER_MINUTE,
    // The socket's peer, or the client a trusted reverse proxy names in X-Forwarded-For.
    clientKey: (c) =>
      clientAddress(
        getConnInfo(c).remote.address,
        c.req.header('x-forwarded-for'),
        config.FLEET_TRUSTED_PROXIES,
      ),
    scalarScript: scalarScriptFromNodeModules(),
    stream: streamOptionsFrom(config, outbox, closing.signal),
  });
  // An HTTP/1.1 server: serve() makes one unless given createServer options for HTTP/2.
  const server = serve(
    { fetch: app.fetch, port: config.PORT, hostname: config.HOST, serverOptions: serverOptions(config) },
    (info) => {
      log.info('control plane listening', {
        url: `http://${config.HOST}:${info.port}`,
        port: info.port,
        db: database.location,
      });
    },
  ) as Server;
  applyServerLimits(server, config);

  // Health is derived on every read; this only writes the `down` events of nodes that went silent.
  const sweep = setInterval(() => {
    housekeep(db).catch((error) => log.error('housekeeping failed', { error: String(error) }));
  }, config.FLEET_HEARTBEAT_INTERVAL_MS);

  const dispatcher = new WebhookDispatcher({ db, settings: deliverySettingsFrom(config), log });
  const delivery = runDispatcher(dispatcher, { pollMs: config.FLEET_OUTBOX_POLL_MS, now: db.now, log });
  outbox.listen(delivery.wake);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    clearInterval(sweep);
    unwatch();
    // Event streams end now: their clients reconnect elsewhere with their Last-Event-ID.
    closing.abort();
    // A control-plane restart must not hang: idle keep-alive connections are closed now, busy ones once their
    // answer is out, and whatever is still open after 5 s is cut.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), 5000);
    await closed;
    clearTimeout(deadline);
    // The attempts in flight (each bounded by FLEET_WEBHOOK_TIMEOUT_MS) are recorded, and the leases handed back
    // so that another replica delivers at once, not when they run out.
    await delivery.stop();
    // The last observation, so that the next start discounts exactly the time no process was running.
    await housekeep(db).catch((error) => log.error('housekeeping failed', { error: String(error) }));
    // Closing checkpoints the WAL into the main file: after a clean stop the file alone holds everything.
    database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  const storage = storageFailure(error);
  if (error instanceof ConfigError) console.error(error.message);
  else if (storage)
    console.error(`Cannot start: ${storage} (${error instanceof Error ? error.message : error}).`);
  else console.error(error);
  process.exit(1);
});
