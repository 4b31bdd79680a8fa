import type { Command } from './command';
import { commands } from './commands';

const globalHelp = `global options:
  --url URL    the control plane (default: $FLEET_URL, else http://127.0.0.1:8080)
  --token T    an admin token, or an app token for 'sessions' (default: $FLEET_TOKEN)
  --json       print the API's JSON instead of tables
  -h, --help   help for a command`;

/** Names and summaries, aligned: the overview. */
function commandList(list: Command[]): string {
  const width = Math.max(...list.map((command) => command.path.join(' ').length));
  return list.map((command) => `  ${command.path.join(' ').padEnd(width)}  ${command.summary}`).join('\n');
}

/** Full usage lines, each with its summary below: a group's help. */
function commandUsages(list: Command[]): string {
  return list
    .map((command) => `  ${`${command.path.join(' ')} ${command.usage}`.trimEnd()}\n      ${command.summary}`)
    .join('\n');
}

export function topHelp(): string {
  return `kurento-fleet: operate a kurento-fleet control plane

usage: kurento-fleet <command> [options]

commands:
${commandList(commands)}

Run 'kurento-fleet <command> --help' for its options, e.g. 'kurento-fleet nodes add --help'.

${globalHelp}`;
}

export function groupHelp(group: string): string {
  const list = commands.filter((command) => command.path[0] === group);
  return `usage: kurento-fleet ${group} <command> [options]

commands:
${commandUsages(list)}

${globalHelp}`;
}

export function commandHelp(command: Command): string {
  const usage = `usage: kurento-fleet ${command.path.join(' ')} ${command.usage}`.trimEnd();
  const details = command.details ? `\n\n${command.details}` : '';
  return `${usage}\n\n${command.summary}${details}\n\n${globalHelp}`;
}
