import { expectPositionals, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { topologyTable } from '../format';

const topology: Command = {
  path: ['topology'],
  usage: '',
  summary: 'where every KMS is: uri, state, health, ejection (app tokens too)',
  async run(ctx) {
    expectPositionals(parseCommandArgs(ctx.args, {}).positionals, []);
    const nodes = await ctx.fleet().topology();
    ctx.print({ nodes }, () => topologyTable(nodes));
    return 0;
  },
};

export const topologyCommands: Command[] = [topology];
