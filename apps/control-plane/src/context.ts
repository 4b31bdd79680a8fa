import type { FleetDb, Principal } from '@kurento-fleet/db';
import type { Logger } from '@kurento-fleet/log';
import type { Context } from 'hono';
import type { Metrics } from './metrics/metrics';
import type { StreamOptions } from './routes/events-stream';

/** What createApp needs from the runtime that serves it (Node + better-sqlite3, or a Worker + D1). */
export interface AppDeps {
  db: FleetDb;
  /** An admin token given by configuration (FLEET_ADMIN_TOKEN), accepted besides stored tokens. */
  adminToken?: string | undefined;
  heartbeatIntervalMs: number;
  log: Logger;
  /**
   * What `GET /metrics` serves: prom-client on Node (metrics/prometheus.ts). When absent, the per-node gauges
   * only (metrics/gauges-only.ts), which is what the Worker serves.
   */
  metrics?: Metrics | undefined;
  /** FLEET_METRICS_PUBLIC: `GET /metrics` without a token. */
  metricsPublic?: boolean | undefined;
  /** Origins allowed to call /v1 from a browser (FLEET_CORS_ORIGINS); none by default: CORS closed. */
  corsOrigins?: readonly string[] | undefined;
  /**
   * Failed authentications a client may make per minute before its failures get 429; a valid token always
   * passes (FLEET_AUTH_FAILURES_PER_MINUTE).
   */
  authFailuresPerMinute?: number | undefined;
  /**
   * The client's address as the runtime knows it: the socket's peer on Node, or the client a trusted proxy names
   * (FLEET_TRUSTED_PROXIES); cf-connecting-ip on Workers when FLEET_TRUST_CF_CONNECTING_IP says so.
   */
  clientKey?: ((c: Context<AppEnv>) => string | undefined) | undefined;
  /**
   * How `GET /v1/events/stream` learns of new events: the signal of this process's commits and the poll for
   * other processes' (FLEET_OUTBOX_POLL_MS), and its keep-alive (FLEET_STREAM_KEEPALIVE_MS). Absent: polling
   * every second, a comment every 15 s.
   */
  stream?: StreamOptions | undefined;
  /** Scalar's renderer for `/docs`, served from this origin; when absent, the page loads it from a CDN. */
  scalarScript?: (() => Promise<string>) | undefined;
}

/** The Hono context's types, declared once: services live on the context, never in module singletons. */
export interface AppEnv {
  Variables: {
    db: FleetDb;
    log: Logger;
    metrics: Metrics;
    requestId: string;
    principal: Principal;
  };
}
