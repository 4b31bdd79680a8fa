import type { Assignment } from '@kurento-fleet/client';
import { expectPositionals, intArg, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { assignmentFields, assignmentOutcome, sessionsTable } from '../format';

const assign: Command = {
  path: ['sessions', 'assign'],
  usage: 'ID [--node N]',
  summary: 'place a session, or show where it lives (sticky)',
  details:
    '--node forces the node of a new session (the operator’s choice: health and load are not checked).',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, { node: { type: 'string' } });
    const [id] = expectPositionals(positionals, ['ID']);
    const result = await ctx
      .fleet()
      .assignSession(id!, values.node === undefined ? {} : { nodeId: values.node });
    ctx.print(result, () =>
      assignmentFields(result.assignment, assignmentOutcome(result.assignment, result.created)),
    );
    return 0;
  },
};

const get: Command = {
  path: ['sessions', 'get'],
  usage: 'ID',
  summary: 'where a session lives',
  async run(ctx) {
    const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
    const assignment = await ctx.fleet().getSession(id!);
    ctx.print(assignment, () => assignmentFields(assignment));
    return 0;
  },
};

const release: Command = {
  path: ['sessions', 'release'],
  usage: 'ID',
  summary: "release a session, freeing its node's capacity",
  async run(ctx) {
    const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
    await ctx.fleet().releaseSession(id!);
    ctx.print({ sessionId: id, released: true }, () => `released session ${id}`);
    return 0;
  },
};

const list: Command = {
  path: ['sessions', 'list'],
  usage: '[--node N] [--limit L] [--cursor C] [--all]',
  summary: 'live sessions, oldest first, one page (or --all)',
  details: 'L is the page size, 1..1000 (default 100). Without --all, the next page is named on stderr.',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      node: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      all: { type: 'boolean' },
    });
    expectPositionals(positionals, []);
    const query = {
      ...(values.node === undefined ? {} : { nodeId: values.node }),
      ...(values.limit === undefined ? {} : { limit: intArg('limit', values.limit, 1, 1000) }),
    };
    const fleet = ctx.fleet();
    if (values.all) {
      const sessions: Assignment[] = [];
      for await (const session of fleet.iterateSessions(query)) sessions.push(session);
      ctx.print({ sessions, nextCursor: null }, () => sessionsTable(sessions));
      return 0;
    }
    const page = await fleet.listSessions({ ...query, ...(values.cursor ? { cursor: values.cursor } : {}) });
    ctx.print(page, () => sessionsTable(page.sessions));
    if (page.nextCursor && !ctx.json) {
      const flags = `${values.node ? ` --node ${values.node}` : ''}${values.limit ? ` --limit ${values.limit}` : ''}`;
      ctx.note(`more: kurento-fleet sessions list${flags} --cursor ${page.nextCursor} (or --all)`);
    }
    return 0;
  },
};

export const sessionCommands: Command[] = [assign, get, release, list];
