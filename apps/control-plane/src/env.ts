import { z } from 'zod';

const intFromEnv = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!/^\d+$/.test(raw) || value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be an integer from ${min} to ${max}, got '${raw}'`,
        });
        return z.NEVER;
      }
      return value;
    });

const ConfigSchema = z
  .object({
    PORT: intFromEnv('PORT', 8080, 0, 65_535),
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
    /** Where `pnpm start:edge` keeps its local D1 database. */
    FLEET_EDGE_STATE_DIR: z.string().min(1).default('./data/edge'),
    FLEET_ADMIN_TOKEN: z
      .string()
      .optional()
      .refine((token) => token === undefined || /^[\x21-\x7e]{16,512}$/.test(token), {
        message: 'FLEET_ADMIN_TOKEN must be 16..512 printable characters without spaces',
      }),
    FLEET_HEARTBEAT_INTERVAL_MS: intFromEnv('FLEET_HEARTBEAT_INTERVAL_MS', 2000, 100, 3_600_000),
    FLEET_HEARTBEAT_TIMEOUT_MS: intFromEnv('FLEET_HEARTBEAT_TIMEOUT_MS', 6000, 200, 86_400_000),
  })
  .refine((config) => config.FLEET_HEARTBEAT_TIMEOUT_MS > config.FLEET_HEARTBEAT_INTERVAL_MS, {
    message: 'FLEET_HEARTBEAT_TIMEOUT_MS must be larger than FLEET_HEARTBEAT_INTERVAL_MS',
    path: ['FLEET_HEARTBEAT_TIMEOUT_MS'],
  });

export type Config = z.infer<typeof ConfigSchema>;

/** Thrown at start for a bad environment; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from environment variables (process.env on Node, bindings on the edge). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.message.includes(String(issue.path[0] ?? ''))
      ? issue.message
      : `${issue.path.join('.')}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
