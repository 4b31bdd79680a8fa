/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Fields added to a log line; `nodeId`, `reason`, `error` are the usual ones. */
export type LogFields = Record<string, unknown>;

/**
 * Structured logging, one JSON object a line, so that an operator's pipeline (and the end-to-end tests) can
 * parse every line a process of the fleet prints (control plane, agent, gateway).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the node id). */
  with(fields: LogFields): Logger;
}

/** Options of `jsonLogger`. */
export interface JsonLoggerOptions {
  /** Lines below this level are dropped; `info` by default. */
  level?: LogLevel;
  /** Where a finished line goes; stdout by default (console.log where there is no process, on Workers). */
  write?: (line: string) => void;
  /** The line's `time`; injectable for tests. */
  now?: () => Date;
}

/** Writes `{"time","level","message",...fields}` lines. */
export function jsonLogger(options: JsonLoggerOptions = {}, bound: LogFields = {}): Logger {
  const write = options.write ?? defaultWrite;
  const now = options.now ?? (() => new Date());
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const log =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      write(safeStringify({ time: now().toISOString(), level, message, ...bound, ...fields }));
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    with: (fields) => jsonLogger(options, { ...bound, ...fields }),
  };
}

/**
 * stdout itself, not console.log: a process that routes console to its logger (./console) would otherwise log
 * its own lines forever. Workers have no process: console.log is how a Worker logs.
 */
const defaultWrite = (line: string) => {
  const stdout = globalThis.process?.stdout;
  if (stdout) stdout.write(`${line}\n`);
  else console.log(line);
};

/** Discards everything: for tests that do not look at logs. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  with: () => silentLogger,
};

/** A log line must never throw (a cycle, a BigInt): the logger is called from the loops that must not die. */
function safeStringify(entry: LogFields): string {
  try {
    return JSON.stringify(entry, (_key, value: unknown) => {
      if (value instanceof Error) return value.message;
      if (typeof value === 'bigint') return value.toString();
      return value;
    });
  } catch {
    return JSON.stringify({ time: entry.time, level: entry.level, message: entry.message });
  }
}

/** The message of anything thrown, for log fields and reasons. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
