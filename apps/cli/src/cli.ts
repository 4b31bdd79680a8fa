import { parseArgs } from 'node:util';
import { FleetApiError, FleetClient } from '@kurento-fleet/client';
import { globalOptions, UsageError } from './args';
import type { CliIo, Command, CommandContext } from './command';
import { commands } from './commands';
import { commandHelp, groupHelp, topHelp } from './help';

export const defaultUrl = 'http://127.0.0.1:8080';

/** Runs one command line; resolves with the exit code: 0 done, 1 failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // `pnpm fleet -- nodes list` hands the `--` through.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let command: Command | undefined;
  try {
    const found = findCommand(args);
    command = found.command;
    const wantsHelp = found.global.help === true;
    if (!command) {
      const help = found.group ? groupHelp(found.group) : topHelp();
      if (wantsHelp) {
        io.stdout(`${help}\n`);
        return 0;
      }
      io.stderr(
        `error: ${found.group ? `missing a '${found.group}' command` : 'missing a command'}\n\n${help}\n`,
      );
      return 2;
    }
    if (wantsHelp) {
      io.stdout(`${commandHelp(command)}\n`);
      return 0;
    }
    return (await command.run(context(found.rest, io, found.global))) ?? 0;
  } catch (error) {
    return report(error, io, command);
  }
}

interface Found {
  command?: Command;
  /** The group named without a command (`nodes`), for its help. */
  group?: string;
  /** The arguments without the command's words. */
  rest: string[];
  global: { url?: string; token?: string; json?: boolean; help?: boolean };
}

/**
 * Finds the command from the first words of the line, wherever the global flags are. A lenient first pass
 * reads the global flags; the command then parses the rest strictly.
 */
function findCommand(args: string[]): Found {
  const { values, tokens } = parseArgs({
    args,
    options: globalOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const global = values as Found['global'];
  const words: string[] = [];
  const wordIndexes = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') break;
    if (token.kind === 'option') {
      // A command's own flag before the command is complete: the line names no command.
      if (!(token.name in globalOptions)) break;
      continue;
    }
    words.push(token.value);
    wordIndexes.add(token.index);
    const path = words.join(' ');
    const command = commands.find((candidate) => candidate.path.join(' ') === path);
    const rest = args.filter((_, index) => !wordIndexes.has(index));
    if (command) return { command, rest, global };
    if (!commands.some((candidate) => candidate.path.join(' ').startsWith(`${path} `))) {
      throw new UsageError(`unknown command '${path}'`);
    }
  }
  const group = words[0];
  return { ...(group === undefined ? {} : { group }), rest: [], global };
}

function context(args: string[], io: CliIo, global: Found['global']): CommandContext {
  const json = global.json === true;
  let fleet: FleetClient | undefined;
  return {
    args,
    io,
    json,
    fleet() {
      const token = global.token ?? io.env.FLEET_TOKEN;
      if (!token) throw new UsageError('no token: set FLEET_TOKEN or pass --token');
      const url = global.url ?? io.env.FLEET_URL ?? defaultUrl;
      fleet ??= new FleetClient({ url, token, ...(io.fetch ? { fetch: io.fetch } : {}) });
      return fleet;
    },
    print(value, human) {
      io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    note(text) {
      io.stderr(`${text}\n`);
    },
  };
}

/** `error: <message> (CODE, request <id>)` on stderr; the exit code. */
function report(error: unknown, io: CliIo, command: Command | undefined): number {
  if (error instanceof UsageError) {
    const usage = command ? `usage: kurento-fleet ${command.path.join(' ')} ${command.usage}`.trimEnd() : '';
    const hint = `run 'kurento-fleet ${command ? `${command.path.join(' ')} ` : ''}--help' for help`;
    io.stderr(`error: ${error.message}\n${usage ? `${usage}\n` : ''}${hint}\n`);
    return 2;
  }
  const hint = hintOf(error);
  if (error instanceof FleetApiError) {
    const request = error.requestId ? `, request ${error.requestId}` : '';
    io.stderr(`error: ${error.message} (${error.code}${request})\n${hint}`);
    return 1;
  }
  io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n${hint}`);
  return 1;
}

/** The `hint:` line of an error that carries one (see withHint). */
function hintOf(error: unknown): string {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' ? `hint: ${hint}\n` : '';
}
