import { expectPositionals, intArg, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { eventsTable } from '../format';

const events: Command = {
  path: ['events'],
  usage: '[--node N] [--limit L] [--cursor C]',
  summary: 'health transitions (up, down, restarted), newest first',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      node: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    expectPositionals(positionals, []);
    const page = await ctx.fleet().listEvents({
      ...(values.node === undefined ? {} : { nodeId: values.node }),
      ...(values.limit === undefined ? {} : { limit: intArg('limit', values.limit, 1, 1000) }),
      ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
    });
    ctx.print(page, () => eventsTable(page.events));
    if (page.nextCursor && !ctx.json) {
      const flags = `${values.node ? ` --node ${values.node}` : ''}${values.limit ? ` --limit ${values.limit}` : ''}`;
      ctx.note(`more: kurento-fleet events${flags} --cursor ${page.nextCursor}`);
    }
    return 0;
  },
};

export const eventCommands: Command[] = [events];
