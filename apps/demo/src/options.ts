import { parseArgs } from 'node:util';

/** What one run of the demo does. */
export interface DemoOptions {
  help: boolean;
  /** Rooms the application opens, one pipeline each. */
  sessions: number;
  /** Rooms per second. */
  rate: number;
  /** Leave the fleet, the gateway and the application's rooms running after the report, until Ctrl+C. */
  keep: boolean;
}

/** A setting that cannot be used; the message names it. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

export const USAGE = `Usage: pnpm demo [-- options]

Starts a control plane, 3 Kurento emulators with an agent each (nodes a, b, c with weights 5, 1, 1) and the
KMS gateway in front of them. An application with one kurento-client on the gateway's URI opens rooms (a
MediaPipeline with a WebRtcEndpoint each); node a's KMS is killed half-way (SIGKILL): its rooms get an Error
event and the application opens them again; then the KMS restarts. The report shows where the pipelines went
against the weights. Everything runs on 127.0.0.1 and is removed at the end.

  --sessions N    DEMO_SESSIONS   rooms to open, 20..100000 (default 300)
  --rate R        DEMO_RATE       rooms per second, 1..2000 (default 60)
  --keep          DEMO_KEEP=true  keep everything running after the report (prints the gateway's URI, the
                                  control plane's URL and its admin token)
  -h, --help                      this help`;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new OptionsError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

/** Flags win over the environment. */
export function parseOptions(argv: readonly string[], env: Record<string, string | undefined>): DemoOptions {
  let values: { sessions?: string | undefined; rate?: string | undefined; keep?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      // `pnpm demo -- --sessions 60` passes the `--` through (pnpm 10).
      args: argv.filter((arg) => arg !== '--'),
      options: {
        sessions: { type: 'string' },
        rate: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  return {
    help: values.help === true,
    sessions: integer('--sessions (DEMO_SESSIONS)', values.sessions ?? env.DEMO_SESSIONS, 300, 20, 100_000),
    rate: integer('--rate (DEMO_RATE)', values.rate ?? env.DEMO_RATE, 60, 1, 2000),
    keep: values.keep === true || env.DEMO_KEEP === 'true',
  };
}
