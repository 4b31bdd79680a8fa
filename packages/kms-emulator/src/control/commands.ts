import type { KmsEmulator } from '../emulator';

/** A fault-control command: a name and its arguments (`_` holds a bare word such as `on` or `clear`). */
export interface ControlCommand {
  name: string;
  args: Record<string, string>;
}

/** One emulator as the control interfaces report it. */
export interface EmulatorStatus {
  url: string;
  port: number;
  serverId: string;
  up: boolean;
  stalled: boolean;
  delayMs: number;
  connections: number;
  sessions: number;
  pipelines: number;
  objects: number;
}

/** A command that cannot run; the message says why. */
export class ControlError extends Error {
  override name = 'ControlError';
}

/** Parses a stdin line: `stall on port=8888` → `{name: 'stall', args: {_: 'on', port: '8888'}}`. */
export function parseCommandLine(line: string): ControlCommand {
  const [name = '', ...tokens] = line.trim().split(/\s+/);
  const args: Record<string, string> = {};
  for (const token of tokens) {
    const at = token.indexOf('=');
    if (at > 0) args[token.slice(0, at)] = token.slice(at + 1);
    else args._ = token;
  }
  return { name: name.toLowerCase(), args };
}

/** The status line of every emulator. */
export function statusOf(emulators: readonly KmsEmulator[]): EmulatorStatus[] {
  return emulators.map((emulator) => {
    const snapshot = emulator.snapshot();
    return {
      url: emulator.url,
      port: emulator.port,
      serverId: snapshot.serverId,
      up: snapshot.up,
      stalled: snapshot.stalled,
      delayMs: snapshot.delayMs,
      connections: snapshot.connections,
      sessions: snapshot.sessions.length,
      pipelines: snapshot.pipelines.length,
      objects: snapshot.objects,
    };
  });
}

function select(emulators: readonly KmsEmulator[], port: string | undefined): readonly KmsEmulator[] {
  if (port === undefined) return emulators;
  const chosen = emulators.filter((e) => String(e.port) === port);
  if (chosen.length === 0) throw new ControlError(`no emulator on port ${port}`);
  return chosen;
}

function flag(value: string | undefined, command: string): boolean {
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new ControlError(`${command} needs on or off`);
}

function amount(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) {
    throw new ControlError(`${what} must be a number ≥ 0, got '${value ?? ''}'`);
  }
  return n;
}

function optionalAmount(value: string | undefined, what: string): number | undefined {
  return value === undefined ? undefined : amount(value, what);
}

/**
 * Runs a command on the emulators it selects (`port=P`, else all) and returns their status.
 * Commands: status, drop, stall on|off, kill, start, restart [down=MS], delay MS, load cpu=PCT memory=KIB,
 * load clear, limit N, limit off, gc.
 */
export async function runCommand(
  emulators: readonly KmsEmulator[],
  { name, args }: ControlCommand,
): Promise<EmulatorStatus[]> {
  const targets = select(emulators, args.port);
  switch (name) {
    case 'status':
      break;
    case 'drop':
      for (const e of targets) e.dropConnections();
      break;
    case 'stall': {
      const on = flag(args.on ?? args._, 'stall');
      for (const e of targets) e.stall(on);
      break;
    }
    case 'kill':
      await Promise.all(targets.map((e) => e.kill()));
      break;
    case 'start':
      await Promise.all(targets.map((e) => e.start()));
      break;
    case 'restart': {
      const downMs = optionalAmount(args.down ?? args._, 'down');
      await Promise.all(targets.map((e) => e.restart({ downMs })));
      break;
    }
    case 'delay': {
      const ms = amount(args.ms ?? args._, 'delay');
      for (const e of targets) e.setDelay(ms);
      break;
    }
    case 'load': {
      const clear = args._ === 'clear' || args.clear === 'true';
      const cpuPercent = clear ? null : optionalAmount(args.cpu, 'cpu');
      const memoryKiB = clear ? null : optionalAmount(args.memory, 'memory');
      if (cpuPercent === undefined && memoryKiB === undefined)
        throw new ControlError('load needs cpu=, memory= or clear');
      for (const e of targets) e.setLoad({ cpuPercent, memoryKiB });
      break;
    }
    case 'limit': {
      const value = args.objects ?? args._;
      const limit = value === 'off' ? undefined : amount(value, 'limit');
      for (const e of targets) e.setObjectLimit(limit);
      break;
    }
    case 'gc':
      for (const e of targets) e.runGc();
      break;
    default:
      throw new ControlError(`unknown command '${name}'`);
  }
  return statusOf(targets);
}
