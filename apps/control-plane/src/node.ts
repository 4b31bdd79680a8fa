import { serve } from '@hono/node-server';
import { ensureAdminToken, type FleetDb, housekeep } from '@kurento-fleet/db';
import { createApp } from './app';
import { openDatabase } from './database';
import { ConfigError, parseConfig } from './env';
import { jsonLogger } from './logger';

/**
 * The Node entry: configuration from the environment, a SQLite file (better-sqlite3, WAL) or a libSQL server,
 * @hono/node-server.
 */
async function main() {
  const log = jsonLogger();
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  const db: FleetDb = {
    client: database.client,
    now: Date.now,
    heartbeatTimeoutMs: config.FLEET_HEARTBEAT_TIMEOUT_MS,
  };

  if (config.FLEET_ADMIN_TOKEN === undefined) {
    const token = await ensureAdminToken(db);
    // Printed once, on the start that creates it; only its hash is stored.
    if (token)
      log.info('created the first admin token; store it now, it is not shown again', { adminToken: token });
  }

  const app = createApp({
    db,
    adminToken: config.FLEET_ADMIN_TOKEN,
    heartbeatIntervalMs: config.FLEET_HEARTBEAT_INTERVAL_MS,
    log,
  });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info('control plane listening', {
      url: `http://${config.HOST}:${info.port}`,
      port: info.port,
      db: database.location,
    });
  });

  // Health is derived on every read; this only writes the `down` events of nodes that went silent.
  const sweep = setInterval(() => {
    housekeep(db).catch((error) => log.error('housekeeping failed', { error: String(error) }));
  }, config.FLEET_HEARTBEAT_INTERVAL_MS);

  const stop = (signal: string) => {
    log.info('stopping', { signal });
    clearInterval(sweep);
    server.close(() => {
      database.close();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; a control plane restart must not hang.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
