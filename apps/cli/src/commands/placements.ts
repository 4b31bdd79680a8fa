import { expectPositionals, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { policyFields, previewText } from '../format';

const preview: Command = {
  path: ['placements', 'preview'],
  usage: '[N]',
  summary: 'where the next N new sessions would go (default 10), without placing them',
  details:
    'A dry run with every rule of placement in play: health, ejections, capacity, the CPU guard, slow start.\n' +
    'The table shows each node in the next pick: its weight, its effective weight (lower while it ramps up)\n' +
    'and its round-robin current, or why it is skipped.',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {});
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const [count] = positionals;
    if (count !== undefined && !(/^\d{1,4}$/.test(count) && Number(count) >= 1 && Number(count) <= 1000))
      throw new UsageError(`N must be an integer from 1 to 1000, not '${count}'`);
    const result = await ctx.fleet().previewPlacements(count === undefined ? 10 : Number(count));
    ctx.print(result, () => previewText(result));
    return 0;
  },
};

const policy: Command = {
  path: ['placements', 'policy'],
  usage: '',
  summary: 'the ejection, CPU guard and slow-start settings of the control plane',
  async run(ctx) {
    expectPositionals(parseCommandArgs(ctx.args, {}).positionals, []);
    const settings = await ctx.fleet().placementPolicy();
    ctx.print(settings, () => policyFields(settings));
    return 0;
  },
};

export const placementCommands: Command[] = [preview, policy];
