import { expectPositionals, intArg, pairsArg, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { nodesTable } from '../format';

const set: Command = {
  path: ['weights', 'set'],
  usage: 'ID=W [ID=W …]',
  summary: 'set several weights in one all-or-nothing call',
  details: 'An unknown id or a bad weight changes nothing. Nodes not named keep their weight.',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {});
    expectPositionals(positionals, ['ID=W'], true);
    const weights: Record<string, number> = {};
    for (const [id, weight] of Object.entries(pairsArg('a weight', positionals))) {
      if (id in weights) throw new UsageError(`node '${id}' is named twice`);
      weights[id] = intArg(`weight of ${id}`, weight, 0, 10_000);
    }
    const nodes = await ctx.fleet().setWeights(weights);
    ctx.print({ nodes }, () => nodesTable(nodes));
    return 0;
  },
};

export const weightCommands: Command[] = [set];
