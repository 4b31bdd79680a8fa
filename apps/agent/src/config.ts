import { parseArgs } from 'node:util';
import type { LogLevel } from '@kurento-fleet/log';
import {
  integerSetting,
  logLevelSetting,
  requiredSetting,
  tokenSetting,
  urlSetting,
} from '@kurento-fleet/settings';
import { z } from 'zod';

/** The agent process's configuration, from the environment, overridden by flags. */
interface AgentConfig {
  fleetUrl: string;
  nodeId: string;
  agentToken: string;
  kmsUri: string;
  probeIntervalMs: number;
  probeDeadlineMs: number;
  cpuSampleMs: number;
  logLevel: LogLevel;
}

/** Thrown for a bad configuration; its message names every bad variable (and its flag). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Each setting: its environment variable, its flag, and how it is checked. */
const SETTINGS = {
  FLEET_URL: { flag: 'fleet-url' },
  FLEET_NODE_ID: { flag: 'node-id' },
  FLEET_AGENT_TOKEN: { flag: 'token' },
  KMS_URI: { flag: 'kms-uri' },
  FLEET_PROBE_INTERVAL_MS: { flag: 'probe-interval-ms' },
  FLEET_PROBE_DEADLINE_MS: { flag: 'probe-deadline-ms' },
  FLEET_CPU_SAMPLE_MS: { flag: 'cpu-sample-ms' },
  FLEET_LOG_LEVEL: { flag: 'log-level' },
} as const;

type Variable = keyof typeof SETTINGS;

export const USAGE = `Usage: pnpm agent [-- flags]

Watches one Kurento Media Server and reports its health and load to the kurento-fleet control plane.
Every setting comes from an environment variable; a flag overrides it.

  FLEET_URL                 --fleet-url          control plane base URL, e.g. http://10.0.0.2:8080 (required)
  FLEET_NODE_ID             --node-id            the node id registered with POST /v1/nodes (required)
  FLEET_AGENT_TOKEN         --token              the node's agent token (required; prefer the variable:
                                                 a flag is visible in the process list)
  KMS_URI                   --kms-uri            the KMS, e.g. ws://127.0.0.1:8888/kurento (required)
  FLEET_PROBE_INTERVAL_MS   --probe-interval-ms  time between probes (default 1000)
  FLEET_PROBE_DEADLINE_MS   --probe-deadline-ms  a probe slower than this marks the KMS down (default 1500)
  FLEET_CPU_SAMPLE_MS       --cpu-sample-ms      getUsedCpu sampling window, below the deadline (default 300)
  FLEET_LOG_LEVEL           --log-level          debug | info | warn | error (default info)

Logs are JSON lines on stdout. SIGTERM or SIGINT stops the agent (exit 0).`;

const Schema = z
  .object({
    FLEET_URL: urlSetting(named('FLEET_URL'), ['http:', 'https:']),
    FLEET_NODE_ID: requiredSetting(named('FLEET_NODE_ID')).regex(
      /^[A-Za-z0-9._-]{1,64}$/,
      `${named('FLEET_NODE_ID')} must be 1..64 characters of A-Z a-z 0-9 . _ -`,
    ),
    FLEET_AGENT_TOKEN: tokenSetting(named('FLEET_AGENT_TOKEN')),
    KMS_URI: urlSetting(named('KMS_URI'), ['ws:', 'wss:']),
    FLEET_PROBE_INTERVAL_MS: integerSetting(named('FLEET_PROBE_INTERVAL_MS'), 1000, 50, 600_000),
    FLEET_PROBE_DEADLINE_MS: integerSetting(named('FLEET_PROBE_DEADLINE_MS'), 1500, 100, 600_000),
    FLEET_CPU_SAMPLE_MS: integerSetting(named('FLEET_CPU_SAMPLE_MS'), 300, 10, 60_000),
    FLEET_LOG_LEVEL: logLevelSetting(named('FLEET_LOG_LEVEL')),
  })
  // The KMS sleeps for the sample before it answers getUsedCpu: a sample at the deadline never fits.
  .refine((config) => config.FLEET_CPU_SAMPLE_MS + 50 <= config.FLEET_PROBE_DEADLINE_MS, {
    error: `${named('FLEET_CPU_SAMPLE_MS')} must be at least 50 ms below ${named('FLEET_PROBE_DEADLINE_MS')}`,
    path: ['FLEET_CPU_SAMPLE_MS'],
  });

/** What the command line asked for besides the settings. */
export interface ParsedCommandLine {
  help: boolean;
  config?: AgentConfig;
}

/**
 * Reads the configuration: environment variables, overridden by flags. Throws ConfigError naming every bad
 * variable.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  argv: readonly string[] = [],
): ParsedCommandLine {
  const flags = parseFlags(argv);
  if (flags.help) return { help: true };
  const raw: Partial<Record<Variable, string>> = {};
  for (const [variable, { flag }] of Object.entries(SETTINGS) as Array<[Variable, { flag: string }]>) {
    const value = flags.values[flag] ?? env[variable];
    if (value !== undefined) raw[variable] = value;
  }
  const result = Schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => issue.message);
    throw new ConfigError(`Invalid configuration: ${[...new Set(problems)].join('; ')}`);
  }
  const config = result.data;
  return {
    help: false,
    config: {
      fleetUrl: config.FLEET_URL,
      nodeId: config.FLEET_NODE_ID,
      agentToken: config.FLEET_AGENT_TOKEN,
      kmsUri: config.KMS_URI,
      probeIntervalMs: config.FLEET_PROBE_INTERVAL_MS,
      probeDeadlineMs: config.FLEET_PROBE_DEADLINE_MS,
      cpuSampleMs: config.FLEET_CPU_SAMPLE_MS,
      logLevel: config.FLEET_LOG_LEVEL,
    },
  };
}

function parseFlags(argv: readonly string[]): { help: boolean; values: Record<string, string | undefined> } {
  const options = Object.fromEntries(
    Object.values(SETTINGS).map(({ flag }) => [flag, { type: 'string' as const }]),
  );
  try {
    const { values } = parseArgs({
      // `pnpm agent -- --node-id x` passes the `--` through (pnpm 10); it would end option parsing here.
      args: argv.filter((arg) => arg !== '--'),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    const { help, ...rest } = values as Record<string, string | boolean | undefined>;
    return { help: help === true, values: rest as Record<string, string | undefined> };
  } catch (error) {
    throw new ConfigError(`Invalid command line: ${(error as Error).message}`);
  }
}

function named(variable: Variable): string {
  return `${variable} (--${SETTINGS[variable].flag})`;
}
