import type { EventType } from '@kurento-fleet/client';
import { expectPositionals, intArg, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { eventsTable } from '../format';

const events: Command = {
  path: ['events'],
  usage: '[--node N] [--type T,…] [--after ID] [--limit L] [--cursor C]',
  summary: 'events of the fleet (node.down, session.moved…), newest first; --after ID: oldest first after ID',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      node: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      type: { type: 'string' },
      after: { type: 'string' },
    });
    expectPositionals(positionals, []);
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

export const eventCommands: Command[] = [events];
