import type { FleetClient } from '@kurento-fleet/client';

/** What the CLI touches outside itself, so tests can run it in process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  /** The fetch the SDK uses; the global one by default. */
  fetch?: typeof fetch;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM: a command that runs until stopped (`events --follow`) then ends. */
  interrupt?: AbortSignal;
}

/** What a command gets: its arguments (name removed, global flags kept) and the ways to answer. */
export interface CommandContext {
  args: string[];
  io: CliIo;
  /** `--json`: print the API's JSON instead of tables. */
  json: boolean;
  /** The SDK client for `--url`/`--token` (or FLEET_URL/FLEET_TOKEN); a usage error without a token. */
  fleet(): FleetClient;
  /** Prints `json` as JSON with --json, else the text `human()` returns. */
  print(json: unknown, human: () => string): void;
  /** A line on stderr: notes that must not pollute the output. */
  note(text: string): void;
}

export interface Command {
  /** The words that name it: `['nodes', 'add']`. */
  path: string[];
  /** Its arguments, for the usage line: `--uri U [--id I]`. */
  usage: string;
  summary: string;
  /** More help lines, shown by `--help`. */
  details?: string;
  /**
   * Returns the exit code when it is not 0 (a partial failure); errors are thrown and reported by the
   * dispatcher.
   */
  run(ctx: CommandContext): Promise<number | undefined>;
}

/** Adds a line the dispatcher prints after the error: what to do about it, in this CLI's terms. */
export function withHint<E extends Error>(error: E, hint: string): E & { hint: string } {
  return Object.assign(error, { hint });
}
