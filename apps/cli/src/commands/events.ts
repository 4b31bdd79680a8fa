import { describeEvent, type EventType, type FleetEvent } from '@kurento-fleet/client';
import { expectPositionals, intArg, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { eventsTable } from '../format';

const events: Command = {
  path: ['events'],
  usage: '[--node N] [--type T,…] [--after ID] [--limit L] [--cursor C] | --follow [--type T,…] [--after ID]',
  summary: 'events of the fleet (node.down, session.moved…), newest first; --after ID: oldest first after ID',
  details:
    '--follow prints each event as it happens (the event stream), one line each (one JSON object a line with\n' +
    '--json), from the next one on or after --after ID, until Ctrl-C; it reconnects by itself and misses none.',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      node: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      type: { type: 'string' },
      after: { type: 'string' },
      follow: { type: 'boolean' },
    });
    expectPositionals(positionals, []);
    if (values.follow) {
      const paging = ['node', 'limit', 'cursor'].find((flag) => values[flag as 'node'] !== undefined);
      if (paging) throw new UsageError(`--${paging} does not go with --follow`);
      const stream = ctx.fleet().streamEvents({
        ...(values.type === undefined ? {} : { types: values.type.split(',') as EventType[] }),
        ...(values.after === undefined
          ? {}
          : { after: intArg('after', values.after, 0, Number.MAX_SAFE_INTEGER) }),
        ...(ctx.io.interrupt ? { signal: ctx.io.interrupt } : {}),
      });
      for await (const event of stream)
        ctx.io.stdout(`${ctx.json ? JSON.stringify(event) : eventLine(event)}\n`);
      return 0;
    }
    const page = await ctx.fleet().listEvents({
      ...(values.node === undefined ? {} : { nodeId: values.node }),
      ...(values.limit === undefined ? {} : { limit: intArg('limit', values.limit, 1, 1000) }),
      ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
      ...(values.type === undefined ? {} : { types: values.type.split(',') as EventType[] }),
      ...(values.after === undefined
        ? {}
        : { after: intArg('after', values.after, 0, Number.MAX_SAFE_INTEGER) }),
    });
    ctx.print(page, () => eventsTable(page.events));
    if (page.nextCursor && !ctx.json) {
      const flags = `${values.node ? ` --node ${values.node}` : ''}${values.type ? ` --type ${values.type}` : ''}${values.limit ? ` --limit ${values.limit}` : ''}`;
      const next = values.after === undefined ? `--cursor ${page.nextCursor}` : `--after ${page.nextCursor}`;
      ctx.note(`more: kurento-fleet events${flags} ${next}`);
    }
    return 0;
  },
};

/** One event on one line, for a terminal that follows the fleet. */
function eventLine(event: FleetEvent): string {
  const subject = event.sessionId ? `${event.sessionId} on ${event.nodeId ?? '-'}` : (event.nodeId ?? '-');
  return `${event.at}  ${event.id.padStart(6)}  ${event.type.padEnd(16)}  ${subject}  ${describeEvent(event)}`.trimEnd();
}

export const eventCommands: Command[] = [events];
