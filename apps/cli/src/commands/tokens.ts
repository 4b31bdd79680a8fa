import { expectPositionals, parseCommandArgs, UsageError } from '../args';
import type { Command } from '../command';
import { tokensTable } from '../format';
import { formatFields } from '../table';

const create: Command = {
  path: ['tokens', 'create'],
  usage: '--role admin|app [--name N]',
  summary: 'create an admin or app token; prints its secret, once',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      role: { type: 'string' },
      name: { type: 'string' },
    });
    expectPositionals(positionals, []);
    const role = values.role;
    if (role !== 'admin' && role !== 'app') {
      throw new UsageError(
        role === undefined ? 'missing --role' : `--role must be admin or app, not '${role}'`,
      );
    }
    const token = await ctx
      .fleet()
      .createToken({ role, ...(values.name === undefined ? {} : { name: values.name }) });
    ctx.print(token, () =>
      formatFields([
        ['id', token.id],
        ['role', token.role],
        ['name', token.name ?? '-'],
        ['token', `${token.token}  (shown once)`],
      ]),
    );
    return 0;
  },
};

const list: Command = {
  path: ['tokens', 'list'],
  usage: '',
  summary: 'admin and app tokens (never their secrets)',
  async run(ctx) {
    expectPositionals(parseCommandArgs(ctx.args, {}).positionals, []);
    const tokens = await ctx.fleet().listTokens();
    ctx.print({ tokens }, () => tokensTable(tokens));
    return 0;
  },
};

const revoke: Command = {
  path: ['tokens', 'revoke'],
  usage: 'ID',
  summary: 'revoke a token at once',
  async run(ctx) {
    const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
    await ctx.fleet().deleteToken(id!);
    ctx.print({ id, revoked: true }, () => `revoked token ${id}`);
    return 0;
  },
};

export const tokenCommands: Command[] = [create, list, revoke];
