import { type DeliverySettings, type FleetDb, type PlacementPolicy, secretBox } from '@kurento-fleet/db';
import { booleanSetting, integerSetting, keySetting } from '@kurento-fleet/settings';
import { z } from 'zod';
import type { OutboxSignal } from './outbox-signal';
import type { StreamOptions } from './routes/events-stream';
import { type IpRange, parseRange } from './security/ip';

const ConfigVariables = z.object({
  PORT: integerSetting('PORT', 8080, 0, 65_535),
  HOST: z.string().min(1).default('127.0.0.1'),
  FLEET_DB_PATH: z.string().min(1).default('./data/fleet.db'),
  /** A libSQL server (libsql://, http(s)://, ws(s)://) shared by replicas; replaces FLEET_DB_PATH when set. */
  FLEET_DB_URL: z
    .string()
    .optional()
    .refine((url) => url === undefined || /^(libsql|https?|wss?):\/\/[^\s]+$/.test(url), {
      message: 'FLEET_DB_URL must be a libsql://, http(s):// or ws(s):// URL of a libSQL server',
    }),
  FLEET_DB_AUTH_TOKEN: z.string().min(1).optional(),
  /**
   * SQLite durability (better-sqlite3 file only): `full` fsyncs every commit before its answer leaves; `normal`
   * is ~10× cheaper per commit but a power cut may undo the last acknowledged writes.
   */
  FLEET_DB_SYNCHRONOUS: z
    .enum(['full', 'normal'], { message: 'FLEET_DB_SYNCHRONOUS must be full or normal' })
    .default('full'),
  /** Browser origins allowed to call /v1 (comma-separated); none by default: CORS closed. */
  FLEET_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins = (raw ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      const bad = origins.find((o) => !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `FLEET_CORS_ORIGINS: '${bad}' is not an origin like https://ops.example.com`,
        });
        return z.NEVER;
      }
      return origins;
    }),
  FLEET_AUTH_FAILURES_PER_MINUTE: integerSetting('FLEET_AUTH_FAILURES_PER_MINUTE', 30, 1, 1_000_000),
  /**
   * Reverse proxies (addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` names the client (Node
   * entry). None by default: the header is then ignored, since any client can send it.
   */
  FLEET_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((raw, ctx): IpRange[] => {
      const entries = (raw ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const ranges = entries.map(parseRange);
      const bad = entries.find((_, i) => ranges[i] === undefined);
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `FLEET_TRUSTED_PROXIES: '${bad}' is not an IP address or CIDR range like 10.0.0.0/8 or fd00::/8`,
        });
        return z.NEVER;
      }
      return ranges as IpRange[];
    }),
  /**
   * Workers: read the client's address from `cf-connecting-ip`. Cloudflare's edge sets that header and drops a
   * client's own copy, but anywhere else (`pnpm start:edge`, a Worker behind another proxy) the client writes
   * it, so it is trusted only when the operator says the Worker runs behind Cloudflare.
   */
  FLEET_TRUST_CF_CONNECTING_IP: booleanSetting('FLEET_TRUST_CF_CONNECTING_IP'),
  /** Where `pnpm start:edge` keeps its local D1 database. */
  FLEET_EDGE_STATE_DIR: z.string().min(1).default('./data/edge'),
  FLEET_ADMIN_TOKEN: z
    .string()
    .optional()
    .refine((token) => token === undefined || /^[\x21-\x7e]{16,512}$/.test(token), {
      message: 'FLEET_ADMIN_TOKEN must be 16..512 printable characters without spaces',
    }),
  FLEET_HEARTBEAT_INTERVAL_MS: integerSetting('FLEET_HEARTBEAT_INTERVAL_MS', 2000, 100, 3_600_000),
  FLEET_HEARTBEAT_TIMEOUT_MS: integerSetting('FLEET_HEARTBEAT_TIMEOUT_MS', 6000, 200, 86_400_000),
  /** How long a node reported unreachable (POST /v1/nodes/{id}/failures) stays out of rotation, at first. */
  FLEET_EJECTION_MS: integerSetting('FLEET_EJECTION_MS', 30_000, 1000, 86_400_000),
  /** The most of the fleet's total weight that failure reports may take out of rotation at once. */
  FLEET_MAX_EJECTED_PERCENT: integerSetting('FLEET_MAX_EJECTED_PERCENT', 50, 0, 100),
  /** A node that becomes up ramps its effective weight up over this long (0: off; nginx's slow_start). */
  FLEET_SLOW_START_MS: integerSetting('FLEET_SLOW_START_MS', 0, 0, 3_600_000),
  /** New sessions skip nodes at or above this CPU percent (of all cores) while others are below; 100: off. */
  FLEET_MAX_CPU_PERCENT: integerSetting('FLEET_MAX_CPU_PERCENT', 85, 1, 100),
  /*
   * Webhook delivery (README, "Events: webhooks and a stream"). The contract's values by default; tests shorten
   * them. The first retry waits FLEET_WEBHOOK_BACKOFF_MS, each further failure in a row doubles the wait up to
   * FLEET_WEBHOOK_MAX_BACKOFF_MS; an attempt without a 2xx within FLEET_WEBHOOK_TIMEOUT_MS failed; an event is
   * retried until FLEET_WEBHOOK_RETRY_WINDOW_MS after it happened.
   */
  FLEET_WEBHOOK_BACKOFF_MS: integerSetting('FLEET_WEBHOOK_BACKOFF_MS', 1000, 1, 3_600_000),
  FLEET_WEBHOOK_MAX_BACKOFF_MS: integerSetting('FLEET_WEBHOOK_MAX_BACKOFF_MS', 600_000, 1, 86_400_000),
  FLEET_WEBHOOK_TIMEOUT_MS: integerSetting('FLEET_WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
  FLEET_WEBHOOK_RETRY_WINDOW_MS: integerSetting(
    'FLEET_WEBHOOK_RETRY_WINDOW_MS',
    86_400_000,
    1000,
    30 * 86_400_000,
  ),
  /**
   * How often the webhook dispatcher (Node) and each event stream look for events that other replicas wrote;
   * the events this process writes wake them at once.
   */
  FLEET_OUTBOX_POLL_MS: integerSetting('FLEET_OUTBOX_POLL_MS', 1000, 10, 600_000),
  /** Events older than this go, once every webhook is past them (@kurento-fleet/db's event-retention.ts). */
  FLEET_EVENT_RETENTION_MS: integerSetting(
    'FLEET_EVENT_RETENTION_MS',
    7 * 86_400_000,
    60_000,
    365 * 86_400_000,
  ),
  /** An event stream with nothing to send writes a comment line this often, so that proxies keep it open. */
  FLEET_STREAM_KEEPALIVE_MS: integerSetting('FLEET_STREAM_KEEPALIVE_MS', 15_000, 100, 600_000),
  /** Serve GET /metrics without a token, for a Prometheus that scrapes over a private network. */
  FLEET_METRICS_PUBLIC: booleanSetting('FLEET_METRICS_PUBLIC'),
  /**
   * Seals webhook signing secrets at rest (AES-256-GCM): a copy of the database alone then holds none. Unset:
   * stored as they are. Once set, keep it: sealed secrets do not open without it.
   */
  FLEET_SECRETS_KEY: keySetting('FLEET_SECRETS_KEY'),
  /*
   * HTTP connection limits of the Node entry (server-limits.ts); workerd and Cloudflare apply their own.
   * Headers, 10 s: a real client sends them in one packet, within milliseconds; 10 s still covers a congested
   * mobile link, and caps how long a client that trickles headers (slowloris) holds a connection.
   * Request, 30 s: the largest legal body is 1 MiB, under 10 s at 1 Mbit/s; it also bounds how long a
   * refused body is read away.
   * Keep-alive, 65 s: an idle connection is kept longer than the 60 s idle timeout of common load balancers
   * (AWS ALB, nginx's keepalive_timeout), so that a balancer never sends a request on a connection this server
   * is closing (the cause of sporadic 502s); agents and app servers, who call every few seconds, keep theirs.
   * Connections, 4096: a fleet has an agent per KMS and a few pooled connections per app server, so thousands
   * is a wide margin; an idle keep-alive connection costs about 17 KiB (measured: 2,000 add 34 MiB of RSS),
   * so the cap bounds that memory near 70 MiB, and file descriptors with it.
   */
  FLEET_HTTP_HEADERS_TIMEOUT_MS: integerSetting('FLEET_HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000),
  FLEET_HTTP_REQUEST_TIMEOUT_MS: integerSetting('FLEET_HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000),
  FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS: integerSetting(
    'FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS',
    65_000,
    1000,
    3_600_000,
  ),
  FLEET_HTTP_MAX_CONNECTIONS: integerSetting('FLEET_HTTP_MAX_CONNECTIONS', 4096, 1, 1_000_000),
});

const ConfigSchema = ConfigVariables.refine(
  (config) => config.FLEET_HEARTBEAT_TIMEOUT_MS > config.FLEET_HEARTBEAT_INTERVAL_MS,
  {
    message: 'FLEET_HEARTBEAT_TIMEOUT_MS must be larger than FLEET_HEARTBEAT_INTERVAL_MS',
    path: ['FLEET_HEARTBEAT_TIMEOUT_MS'],
  },
)
  .refine((config) => config.FLEET_WEBHOOK_MAX_BACKOFF_MS >= config.FLEET_WEBHOOK_BACKOFF_MS, {
    message: 'FLEET_WEBHOOK_MAX_BACKOFF_MS must be at least FLEET_WEBHOOK_BACKOFF_MS',
    path: ['FLEET_WEBHOOK_MAX_BACKOFF_MS'],
  })
  // The headers are part of the request: Node refuses a headers timeout longer than the request timeout.
  .refine((config) => config.FLEET_HTTP_REQUEST_TIMEOUT_MS >= config.FLEET_HTTP_HEADERS_TIMEOUT_MS, {
    message: 'FLEET_HTTP_REQUEST_TIMEOUT_MS must be at least FLEET_HTTP_HEADERS_TIMEOUT_MS',
    path: ['FLEET_HTTP_REQUEST_TIMEOUT_MS'],
  });

export type Config = z.infer<typeof ConfigSchema>;

/** The name of every configuration variable; each takes text (an environment variable, a Worker binding). */
export type ConfigVariable = keyof typeof ConfigVariables.shape;

/** The configuration's variables, as text, from an environment that may hold others too. */
export function configVariables(
  env: Record<string, string | undefined>,
): Partial<Record<ConfigVariable, string>> {
  return Object.fromEntries(
    Object.keys(ConfigVariables.shape).flatMap((name) =>
      env[name] === undefined ? [] : [[name, env[name]]],
    ),
  );
}

/** What every FleetDb of the control plane takes from the configuration (the driver and clock come apart). */
export function fleetDbSettings(
  config: Config,
): Pick<FleetDb, 'heartbeatTimeoutMs' | 'policy' | 'eventRetentionMs' | 'secrets'> {
  return {
    heartbeatTimeoutMs: config.FLEET_HEARTBEAT_TIMEOUT_MS,
    policy: policyFrom(config),
    eventRetentionMs: config.FLEET_EVENT_RETENTION_MS,
    secrets: secretBox(config.FLEET_SECRETS_KEY),
  };
}

/** The event streams' settings from the configuration, woken by `signal`, ended by `closing` on a stop. */
export function streamOptionsFrom(
  config: Config,
  signal: OutboxSignal,
  closing?: AbortSignal,
): StreamOptions {
  return {
    signal,
    pollMs: config.FLEET_OUTBOX_POLL_MS,
    keepAliveMs: config.FLEET_STREAM_KEEPALIVE_MS,
    ...(closing === undefined ? {} : { closing }),
  };
}

/** The placement policy the configuration sets (what @kurento-fleet/db's queries read). */
export function policyFrom(config: Config): PlacementPolicy {
  return {
    ejectionMs: config.FLEET_EJECTION_MS,
    maxEjectedPercent: config.FLEET_MAX_EJECTED_PERCENT,
    slowStartMs: config.FLEET_SLOW_START_MS,
    maxCpuPercent: config.FLEET_MAX_CPU_PERCENT,
  };
}

/** How webhook deliveries are retried, as the configuration sets it. */
export function deliverySettingsFrom(config: Config): DeliverySettings {
  return {
    backoffMs: config.FLEET_WEBHOOK_BACKOFF_MS,
    maxBackoffMs: config.FLEET_WEBHOOK_MAX_BACKOFF_MS,
    timeoutMs: config.FLEET_WEBHOOK_TIMEOUT_MS,
    retryWindowMs: config.FLEET_WEBHOOK_RETRY_WINDOW_MS,
  };
}

/** Thrown at start for a bad environment; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from environment variables (process.env on Node, bindings on the edge). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`FLEET_ADMIN_TOKEN=` in an env file) means unset, as in most tools.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = ConfigSchema.safeParse(set);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.message.includes(String(issue.path[0] ?? ''))
      ? issue.message
      : `${issue.path.join('.')}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
