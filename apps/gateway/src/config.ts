import { hostname } from 'node:os';
import { integerSetting, logLevelSetting, tokenSetting, urlSetting } from '@kurento-fleet/settings';
import { z } from 'zod';

/** Thrown for a bad configuration; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const USAGE = `Usage: pnpm gateway

A KMS gateway: unmodified Kurento applications (OpenVidu CE, the Kurento tutorials, any kurento-client app)
connect to ws://GATEWAY_HOST:GATEWAY_PORT/kurento as to one KMS, and each new MediaPipeline is placed on the
fleet by the control plane. Every setting is an environment variable:

  FLEET_URL                    control plane base URL, e.g. http://10.0.0.2:8080 (required)
  FLEET_TOKEN                  an app token (POST /v1/tokens {"role":"app"}) (required)
  GATEWAY_HOST                 interface to listen on (default 127.0.0.1)
  GATEWAY_PORT                 port (default 8888, as KMS; 0 picks a free one)
  GATEWAY_ID                   unique per gateway: names its temporary placements and KMS control sessions
                               (default <hostname>-<port>)
  GATEWAY_BACKEND_GRACE_MS     a KMS socket that drops and is not back within this is a failed node (default 500)
  GATEWAY_CONNECT_TIMEOUT_MS   a KMS that does not complete a handshake by then is unreachable (default 3000)
  GATEWAY_DETACHED_SESSION_MS  how long a session whose application socket dropped is kept for a resume (default 60000)
  GATEWAY_BUFFER_FRAMES        answers and events kept per session while its socket is down (default 1000)
  GATEWAY_TOPOLOGY_REFRESH_MS  how often the fleet's nodes are read (default 5000)
  GATEWAY_LOG_LEVEL            debug | info | warn | error (default info)

Logs are JSON lines on stdout. GET /metrics (Prometheus) and GET /healthz on the same port.
SIGTERM or SIGINT closes every application socket with a close frame and exits 0.`;

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const Schema = z
  .object({
    FLEET_URL: urlSetting('FLEET_URL', ['http:', 'https:']),
    FLEET_TOKEN: tokenSetting('FLEET_TOKEN', ' (an app token)'),
    GATEWAY_HOST: optionalText.transform((host) => host ?? '127.0.0.1'),
    GATEWAY_PORT: integerSetting('GATEWAY_PORT', 8888, 0, 65_535),
    GATEWAY_ID: optionalText.refine((id) => id === undefined || /^[A-Za-z0-9._-]{1,64}$/.test(id), {
      error: (issue) =>
        `GATEWAY_ID must be 1..64 characters of A-Z a-z 0-9 . _ -, got '${String(issue.input)}'`,
    }),
    GATEWAY_BACKEND_GRACE_MS: integerSetting('GATEWAY_BACKEND_GRACE_MS', 500, 0, 60_000),
    GATEWAY_CONNECT_TIMEOUT_MS: integerSetting('GATEWAY_CONNECT_TIMEOUT_MS', 3000, 100, 60_000),
    GATEWAY_DETACHED_SESSION_MS: integerSetting('GATEWAY_DETACHED_SESSION_MS', 60_000, 1000, 3_600_000),
    GATEWAY_BUFFER_FRAMES: integerSetting('GATEWAY_BUFFER_FRAMES', 1000, 0, 1_000_000),
    GATEWAY_TOPOLOGY_REFRESH_MS: integerSetting('GATEWAY_TOPOLOGY_REFRESH_MS', 5000, 200, 600_000),
    GATEWAY_LOG_LEVEL: logLevelSetting('GATEWAY_LOG_LEVEL'),
  })
  .transform((env) => ({
    fleetUrl: env.FLEET_URL,
    fleetToken: env.FLEET_TOKEN,
    host: env.GATEWAY_HOST,
    port: env.GATEWAY_PORT,
    gatewayId: env.GATEWAY_ID ?? defaultGatewayId(env.GATEWAY_PORT),
    graceMs: env.GATEWAY_BACKEND_GRACE_MS,
    connectTimeoutMs: env.GATEWAY_CONNECT_TIMEOUT_MS,
    detachedSessionMs: env.GATEWAY_DETACHED_SESSION_MS,
    bufferFrames: env.GATEWAY_BUFFER_FRAMES,
    topologyRefreshMs: env.GATEWAY_TOPOLOGY_REFRESH_MS,
    logLevel: env.GATEWAY_LOG_LEVEL,
  }));

/** The gateway process's configuration. */
export type GatewayConfig = z.infer<typeof Schema>;

/** `<hostname>-<port>`, cut to the id's characters and length: unique per gateway on a machine. */
export function defaultGatewayId(port: number, host = hostname()): string {
  const suffix = `-${port}`;
  const base = host.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64 - suffix.length) || 'gateway';
  return `${base}${suffix}`;
}

/** Reads the configuration from the environment. Throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): GatewayConfig {
  const result = Schema.safeParse(env);
  if (!result.success) {
    const problems = [...new Set(result.error.issues.map((issue) => issue.message))];
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
