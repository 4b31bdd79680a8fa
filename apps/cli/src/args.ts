import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in the command line: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes, before or after its name. */
export const globalOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

type Config<O extends Options> = {
  args: string[];
  options: typeof globalOptions & O;
  allowPositionals: true;
  strict: true;
};

/** Parses a command's arguments (its name already removed) strictly: an unknown flag is a usage error. */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...globalOptions, ...options },
      allowPositionals: true,
      strict: true,
    }) as ReturnType<typeof parseArgs<Config<O>>>;
  } catch (error) {
    // parseArgs names the option in its first sentence ("Unknown option '--wieght'."); the rest is about
    // positionals that start with '-', which no command here takes.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('. ')[0] ?? message);
  }
}

/** Checks the count of positional arguments against their names (`ID`, `[ID…]`) and returns them. */
export function expectPositionals(positionals: string[], names: string[], variadic = false): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`);
  }
  if (!variadic && positionals.length > names.length) {
    throw new UsageError(`unexpected argument '${positionals[names.length]}'`);
  }
  return positionals;
}

/** An integer flag within bounds; the message names the flag. */
export function intArg(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, not '${value}'`);
  }
  return number;
}

/** `k=v` pairs (repeated flags) into a map. */
export function pairsArg(flag: string, pairs: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} takes key=value, not '${pair}'`);
    map[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return map;
}
