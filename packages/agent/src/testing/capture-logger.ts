import { jsonLogger, type Logger } from '@kurento-fleet/log';

/** A parsed log line. */
export type LogLine = { time: string; level: string; message: string } & Record<string, unknown>;

/** A JSON logger (all levels) whose lines are kept, parsed, for assertions. */
export function captureLogger(): { log: Logger; lines: LogLine[]; messages(): string[] } {
  const lines: LogLine[] = [];
  const log = jsonLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, messages: () => lines.map((line) => line.message) };
}
