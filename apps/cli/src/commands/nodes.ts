import { ConflictError, type NodeState, type UpdateNodeInput } from '@kurento-fleet/client';
import { expectPositionals, intArg, pairsArg, parseCommandArgs, UsageError } from '../args';
import { type Command, type CommandContext, withHint } from '../command';
import { nodeFields, nodesTable } from '../format';

const maxWeight = 10_000;

const add: Command = {
  path: ['nodes', 'add'],
  usage: '--uri U [--id I] [--weight W] [--max-sessions N] [--region R] [--label k=v …]',
  summary: 'register a KMS; prints its agent token, once',
  details: 'U is ws://host:8888/kurento (or wss://). The weight is 0..10000 (default 1; 0: never picked).',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      uri: { type: 'string' },
      id: { type: 'string' },
      weight: { type: 'string' },
      'max-sessions': { type: 'string' },
      region: { type: 'string' },
      label: { type: 'string', multiple: true },
    });
    expectPositionals(positionals, []);
    if (!values.uri) throw new UsageError('missing --uri');
    const created = await ctx.fleet().createNode({
      uri: values.uri,
      ...(values.id === undefined ? {} : { id: values.id }),
      ...(values.weight === undefined ? {} : { weight: intArg('weight', values.weight, 0, maxWeight) }),
      ...(values['max-sessions'] === undefined
        ? {}
        : { maxSessions: intArg('max-sessions', values['max-sessions'], 1) }),
      ...(values.region === undefined ? {} : { region: values.region }),
      ...(values.label === undefined ? {} : { labels: pairsArg('--label', values.label) }),
    });
    ctx.print(created, () =>
      [
        nodeFields(created.node),
        '',
        `agent token (shown once; give it to this node's agent): ${created.agentToken}`,
      ].join('\n'),
    );
    return 0;
  },
};

const list: Command = {
  path: ['nodes', 'list'],
  usage: '',
  summary: 'every node with its health, load and place in the rotation',
  details:
    'ROTATION is what the next new session would do with the node: in, ramp E/W (slow start: its effective\n' +
    'weight E of W), or why it is skipped: ejected until T (an application reported it), cpu L% ≥ M% (the CPU\n' +
    'guard), down, draining, disabled, full, weight0.',
  async run(ctx) {
    expectPositionals(parseCommandArgs(ctx.args, {}).positionals, []);
    const fleet = ctx.fleet();
    const nodes = await fleet.listNodes();
    if (ctx.json) {
      ctx.print({ nodes }, () => '');
      return 0;
    }
    // One after the other, the node list first: the preview is read as close as possible to what it explains.
    const { decision } = await fleet.previewPlacements(1);
    const policy = await fleet.placementPolicy();
    ctx.print({ nodes }, () => nodesTable(nodes, { decision, policy }));
    return 0;
  },
};

const get: Command = {
  path: ['nodes', 'get'],
  usage: 'ID',
  summary: 'one node in detail',
  async run(ctx) {
    const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
    const node = await ctx.fleet().getNode(id!);
    ctx.print(node, () => nodeFields(node));
    return 0;
  },
};

const update: Command = {
  path: ['nodes', 'update'],
  usage:
    'ID [--weight W] [--state S] [--max-sessions N|none] [--region R|none] [--label k=v … | --clear-labels]',
  summary: 'change a node; only the flags given change',
  details:
    'S is active, draining or disabled. --label replaces the whole label map. Any weight written, even the same,\n' +
    'restarts the round-robin cycle.',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      weight: { type: 'string' },
      state: { type: 'string' },
      'max-sessions': { type: 'string' },
      region: { type: 'string' },
      label: { type: 'string', multiple: true },
      'clear-labels': { type: 'boolean' },
    });
    const [id] = expectPositionals(positionals, ['ID']);
    if (values.label && values['clear-labels'])
      throw new UsageError('--label and --clear-labels exclude each other');
    const patch: UpdateNodeInput = {
      ...(values.weight === undefined ? {} : { weight: intArg('weight', values.weight, 0, maxWeight) }),
      ...(values.state === undefined ? {} : { state: stateArg(values.state) }),
      ...(values['max-sessions'] === undefined
        ? {}
        : {
            maxSessions:
              values['max-sessions'] === 'none' ? null : intArg('max-sessions', values['max-sessions'], 1),
          }),
      ...(values.region === undefined ? {} : { region: values.region === 'none' ? null : values.region }),
      ...(values.label === undefined ? {} : { labels: pairsArg('--label', values.label) }),
      ...(values['clear-labels'] ? { labels: {} } : {}),
    };
    if (Object.keys(patch).length === 0) throw new UsageError('nothing to change: give at least one flag');
    await printUpdated(ctx, id!, patch);
    return 0;
  },
};

/** `nodes drain|enable|disable ID`: a state change under its own name. */
function stateCommand(name: string, state: NodeState, summary: string): Command {
  return {
    path: ['nodes', name],
    usage: 'ID',
    summary,
    async run(ctx) {
      const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
      await printUpdated(ctx, id!, { state });
      return 0;
    },
  };
}

const remove: Command = {
  path: ['nodes', 'remove'],
  usage: 'ID [--force]',
  summary: 'remove a node; --force also releases its sessions',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, { force: { type: 'boolean' } });
    const [id] = expectPositionals(positionals, ['ID']);
    try {
      await ctx.fleet().deleteNode(id!, { force: values.force === true });
    } catch (error) {
      // The server's message speaks HTTP (?force=true); say it in this CLI's terms too.
      if (error instanceof ConflictError && !values.force) {
        throw withHint(
          error,
          `'kurento-fleet nodes remove ${id} --force' removes it and releases its sessions`,
        );
      }
      throw error;
    }
    ctx.print({ id, removed: true }, () => `removed node ${id}`);
    return 0;
  },
};

const reportFailure: Command = {
  path: ['nodes', 'report-failure'],
  usage: 'ID --reason R',
  summary: "tell the fleet a node's KMS cannot be reached: it leaves the rotation at once (ejected)",
  details:
    'What an application does when it cannot connect to the KMS it was given (app tokens may call it). The\n' +
    'ejection lasts FLEET_EJECTION_MS, doubling for each further one within 10 minutes; the fleet refuses it\n' +
    'when the ejected nodes would hold more than FLEET_MAX_EJECTED_PERCENT of the weight. R: 1..200 characters.',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, { reason: { type: 'string' } });
    const [id] = expectPositionals(positionals, ['ID']);
    if (!values.reason) throw new UsageError('missing --reason');
    const report = await ctx.fleet().reportFailure(id!, values.reason);
    ctx.print(report, () =>
      report.ejectedUntil
        ? `node ${id} ejected until ${report.ejectedUntil}`
        : `node ${id} not ejected: the fleet kept it in rotation (see 'kurento-fleet events --node ${id} --type node.ejected')`,
    );
    return 0;
  },
};

const rotateToken: Command = {
  path: ['nodes', 'rotate-token'],
  usage: 'ID',
  summary: "give a node's agent a new token; the old one stops working",
  async run(ctx) {
    const [id] = expectPositionals(parseCommandArgs(ctx.args, {}).positionals, ['ID']);
    const agentToken = await ctx.fleet().rotateAgentToken(id!);
    ctx.print({ agentToken }, () => `new agent token for node ${id} (shown once): ${agentToken}`);
    return 0;
  },
};

async function printUpdated(ctx: CommandContext, id: string, patch: UpdateNodeInput): Promise<void> {
  const node = await ctx.fleet().updateNode(id, patch);
  ctx.print(node, () => nodeFields(node));
}

function stateArg(value: string): NodeState {
  if (value === 'active' || value === 'draining' || value === 'disabled') return value;
  throw new UsageError(`--state must be active, draining or disabled, not '${value}'`);
}

export const nodeCommands: Command[] = [
  add,
  list,
  get,
  update,
  stateCommand('drain', 'draining', 'stop new sessions on a node; its sessions stay'),
  stateCommand('enable', 'active', 'make a node eligible again'),
  stateCommand('disable', 'disabled', 'take a node out; its sessions move on their next assignment'),
  remove,
  reportFailure,
  rotateToken,
];
