import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FleetDb, housekeep, watchOutbox } from '@kurento-fleet/db';
import { openSqliteFile } from '@kurento-fleet/db/node';
import { silentLogger } from '@kurento-fleet/log';
import { afterAll, afterEach } from 'vitest';
import { createApp } from '../app';
import { scalarScriptFromNodeModules } from '../docs/scalar-from-node-modules';
import { type LocalWorker, startLocalWorker } from '../edge/miniflare';
import { deliverySettingsFrom, fleetDbSettings, parseConfig, streamOptionsFrom } from '../env';
import { prometheusMetrics } from '../metrics/prometheus';
import { OutboxSignal } from '../outbox-signal';
import { unlimited, WebhookDispatcher } from '../webhooks/dispatcher';

export const adminToken = 'admin-token-for-tests-0123456789';
const heartbeatIntervalMs = 2000;
export const heartbeatTimeoutMs = 6000;
// Children before parents: D1 enforces foreign keys, so the reset deletes in this order.
const tables = [
  'sessions',
  'tokens',
  'events',
  'placements',
  'observer',
  'webhook_deliveries',
  'webhooks',
  'nodes',
];

/** Settings a test may change; every other one is fixed above. */
export interface BackendOptions {
  /** FLEET_METRICS_PUBLIC */
  metricsPublic?: boolean;
  /** FLEET_CORS_ORIGINS, as the variable reads */
  corsOrigins?: string;
  /** Placement policy settings, as the variables read: FLEET_SLOW_START_MS, FLEET_MAX_CPU_PERCENT… */
  policy?: Record<string, string>;
  /** Other settings, as the variables read: FLEET_WEBHOOK_*, FLEET_STREAM_KEEPALIVE_MS… */
  env?: Record<string, string>;
}

/** The test client's address: the header Cloudflare sets, which tests set themselves on both runtimes. */
export const clientHeader = 'cf-connecting-ip';

/** A request as the harness builds it (miniflare wants its own Request class, so no global Request here). */
interface TestRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** One control plane under test, whatever runs it. */
export interface Backend {
  fetch(path: string, request: TestRequest, now: number): Promise<Response>;
  /** Every row of every table, to prove that a refused request changed nothing. */
  dump(): Promise<Record<string, unknown[]>>;
  /** What the periodic sweep (Node timer, Workers cron) does. */
  sweep(now: number): Promise<void>;
  /** One webhook delivery pass, run to its end. */
  deliver(now: number): Promise<void>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The Node runtime: the app in process on a fresh better-sqlite3 file, removed after the test. */
function nodeBackend(options: BackendOptions): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-test-'));
  const file = openSqliteFile(join(dir, 'fleet.db'));
  cleanups.push(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let now = 0;
  const config = parseConfig({ ...options.policy, ...options.env });
  const signal = new OutboxSignal();
  const db: FleetDb = {
    client: watchOutbox(file.client, signal.notify),
    now: () => now,
    ...fleetDbSettings(config),
    heartbeatTimeoutMs,
  };
  const dispatcher = new WebhookDispatcher({ db, settings: deliverySettingsFrom(config), log: silentLogger });
  const app = createApp({
    db,
    adminToken,
    heartbeatIntervalMs,
    log: silentLogger,
    metrics: prometheusMetrics(),
    metricsPublic: options.metricsPublic,
    corsOrigins: parseConfig({ FLEET_CORS_ORIGINS: options.corsOrigins }).FLEET_CORS_ORIGINS,
    clientKey: (c) => c.req.header(clientHeader),
    scalarScript: scalarScriptFromNodeModules(),
    stream: streamOptionsFrom(config, signal),
  });
  return {
    fetch: async (path, request, at) => {
      now = at;
      return app.request(path, request);
    },
    dump: async () =>
      Object.fromEntries(tables.map((t) => [t, file.raw.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()])),
    sweep: async (at) => {
      now = at;
      await housekeep(db);
    },
    deliver: async (at) => {
      now = at;
      await dispatcher.drain(unlimited());
    },
  };
}

// One workerd per test file and set of options (booting it takes a second); each test starts from empty tables.
const shared = new Map<string, Promise<LocalWorker>>();
afterAll(async () => {
  for (const worker of shared.values()) await (await worker).mf.dispose();
});

async function workerdBackend(options: BackendOptions): Promise<Backend> {
  const key = JSON.stringify(options);
  let started = shared.get(key);
  if (!started) {
    started = startLocalWorker({
      variables: {
        PORT: '0',
        FLEET_ADMIN_TOKEN: adminToken,
        FLEET_HEARTBEAT_INTERVAL_MS: String(heartbeatIntervalMs),
        FLEET_HEARTBEAT_TIMEOUT_MS: String(heartbeatTimeoutMs),
        FLEET_METRICS_PUBLIC: String(options.metricsPublic ?? false),
        FLEET_CORS_ORIGINS: options.corsOrigins,
        ...options.policy,
        ...options.env,
        // The tests name their clients with this header, as Cloudflare's edge does.
        FLEET_TRUST_CF_CONNECTING_IP: 'true',
      },
      entry: fileURLToPath(new URL('./worker-under-test.ts', import.meta.url)),
    });
    shared.set(key, started);
  }
  const worker = await started;
  const query = (sql: string) => worker.db.client.query({ sql, params: [] });
  await worker.db.client.batch(
    [...tables, 'sqlite_sequence'].map((t) => ({ sql: `DELETE FROM ${t}`, params: [] })),
  );
  const dispatch = async (path: string, request: TestRequest, now: number) => {
    const response = await worker.mf.dispatchFetch(`http://fleet${path}`, {
      ...request,
      headers: { ...request.headers, 'x-test-now': String(now) },
    });
    // miniflare's Response (undici 7) reads like the global one; tests use status, json() and text().
    return response as unknown as Response;
  };
  return {
    fetch: dispatch,
    dump: async () =>
      Object.fromEntries(
        await Promise.all(tables.map(async (t) => [t, await query(`SELECT * FROM ${t} ORDER BY rowid`)])),
      ),
    sweep: async (now) => {
      await dispatch('/__test/sweep', { method: 'POST', headers: {} }, now);
    },
    deliver: async (now) => {
      await dispatch('/__test/deliver', { method: 'POST', headers: {} }, now);
    },
  };
}

/** The runtime this vitest project tests: FLEET_TEST_RUNTIME=workerd, or Node by default. */
export const runtime = process.env.FLEET_TEST_RUNTIME === 'workerd' ? 'workerd' : 'node';

export function createBackend(options: BackendOptions = {}): Promise<Backend> {
  return runtime === 'workerd' ? workerdBackend(options) : Promise.resolve(nodeBackend(options));
}
