import { parseArgs } from 'node:util';
import type { LoadOverride } from './load';

/** The command line, validated. */
export interface CliConfig {
  help: boolean;
  ports: number[];
  host: string;
  controlPort: number | undefined;
  stateFile: string | undefined;
  cpuCount: number | undefined;
  load: LoadOverride;
  gcIntervalMs: number;
  delayMs: number;
  objectLimit: number | undefined;
  media: boolean;
}

/** A command line that cannot be used; the message names the flag. */
export class CliError extends Error {
  override name = 'CliError';
}

export const USAGE = `Usage: pnpm kms-emulator -- [options]

Serves ws://HOST:PORT/kurento like a Kurento Media Server 7.3, until SIGINT/SIGTERM.

Options:
  --port P            port to serve; repeat it or give a list (--port 8888,8889) for several
                      emulators (default 8888)
  --host H            interface to listen on (default 127.0.0.1)
  --control-port C    HTTP control endpoint on HOST:C (fault injection, see README)
  --state-file F      keep a JSON description of the emulators in F (removed on exit)
  --cpu-count N       getCpuCount (default: this machine's)
  --cpu PCT           fixed getUsedCpu value, percent of one core (default: modelled)
  --memory KIB        fixed getUsedMemory value in KiB (default: modelled)
  --gc-interval S     session GC period in seconds (default 240, 0 = off)
  --delay MS          delay every request by MS milliseconds (default 0)
  --object-limit N    fail create with NOT_ENOUGH_RESOURCES beyond N media objects
  --media             media mode: WebRtcEndpoints are real WebRTC peers and media flows along
                      connect() (default: signalling only)
  -h, --help          show this help

Commands on stdin (one per line) and on the control endpoint: status, drop, stall on|off, kill, start,
restart [down=MS], delay MS, load cpu=PCT memory=KIB | load clear, limit N | limit off, gc;
each takes an optional port=P (default: every emulator).`;

function integer(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`--${flag} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new CliError(`--${flag} must be a number ≥ 0, got '${text}'`);
  return value;
}

/**
 * Parses the emulator's arguments. A literal `--` is skipped: `pnpm kms-emulator -- --port P` passes it
 * through on pnpm 10.
 */
export function parseCliArgs(argv: readonly string[]): CliConfig {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv.filter((arg) => arg !== '--'));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { values } = parsed;
  const ports = (values.port ?? ['8888'])
    .flatMap((list) => list.split(','))
    .map((text) => integer('port', text.trim(), 0, 65535) as number);
  if (new Set(ports).size !== ports.length && !ports.includes(0))
    throw new CliError('--port lists a port twice');
  const gcSeconds = number('gc-interval', values['gc-interval']) ?? 240;
  return {
    help: values.help ?? false,
    ports,
    host: values.host ?? '127.0.0.1',
    controlPort: integer('control-port', values['control-port'], 0, 65535),
    stateFile: values['state-file'],
    cpuCount: integer('cpu-count', values['cpu-count'], 1),
    load: { cpuPercent: number('cpu', values.cpu), memoryKiB: integer('memory', values.memory, 0) },
    gcIntervalMs: gcSeconds * 1000,
    delayMs: number('delay', values.delay) ?? 0,
    objectLimit: integer('object-limit', values['object-limit'], 0),
    media: values.media ?? false,
  };
}

function parseWith(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', multiple: true },
      host: { type: 'string' },
      'control-port': { type: 'string' },
      'state-file': { type: 'string' },
      'cpu-count': { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'gc-interval': { type: 'string' },
      delay: { type: 'string' },
      'object-limit': { type: 'string' },
      media: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
