import { ConflictError, type CreatedNode } from '@kurento-fleet/client';
import { expectPositionals, parseCommandArgs, UsageError } from '../args';
import type { Command, CommandContext } from '../command';
import { parseEnvFile } from '../env-file';
import { type PlannedNode, parseList, planImport } from '../openvidu';
import { formatTable } from '../table';

interface Skipped {
  id: string;
  uri: string;
  reason: string;
}

const importOpenVidu: Command = {
  path: ['import-openvidu'],
  usage: "[--env-file F] [--kms-uris '[\"ws://…\"]'] [--kms-weight '[5,1]'] [--ids a,b] [--dry-run]",
  summary: "create nodes from OpenVidu's KMS_URIS and KMS_WEIGHT",
  details: `Each list is read from its flag, else from the environment (KMS_URIS, KMS_WEIGHT), else from the
--env-file (OpenVidu's .env), as docker compose does. KMS_URIS is a JSON array of ws:// URIs, KMS_WEIGHT the
same-length array of weights (all 1 when left out). One node is created per URI, with the id from --ids or
from the host (kms-10-0-0-1), then every weight is set in one call. A URI already registered is skipped and
keeps its node, whose weight is set. The agent tokens of the new nodes are printed, once.
--dry-run reads the nodes and prints the plan; it changes nothing.`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      'env-file': { type: 'string' },
      'kms-uris': { type: 'string' },
      'kms-weight': { type: 'string' },
      ids: { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    expectPositionals(positionals, []);
    const file = values['env-file'] === undefined ? {} : readEnvFile(ctx, values['env-file']);
    // An empty variable counts as unset: an empty list is never meant.
    const setting = (flag: string | undefined, name: string) => flag ?? (ctx.io.env[name] || file[name]);
    const uris = setting(values['kms-uris'], 'KMS_URIS');
    if (uris === undefined)
      throw new UsageError('no KMS_URIS: pass --kms-uris, set KMS_URIS or give --env-file');
    const weights = setting(values['kms-weight'], 'KMS_WEIGHT');
    const plan = planImport({
      uris: parseList('KMS_URIS', uris),
      ...(weights === undefined ? {} : { weights: parseList('KMS_WEIGHT', weights) }),
      ...(values.ids === undefined ? {} : { ids: parseList('--ids', values.ids) }),
    });
    const existing = new Map((await ctx.fleet().listNodes()).map((node) => [node.uri, node.id]));
    if (values['dry-run']) return preview(ctx, plan, existing);
    return apply(ctx, plan, existing);
  },
};

/** What an import would do, read-only. */
function preview(ctx: CommandContext, plan: PlannedNode[], existing: Map<string, string>): number {
  const actions = plan.map((node) => {
    const id = existing.get(node.uri);
    return id === undefined ? { ...node, action: 'create' } : { ...node, id, action: 'set weight' };
  });
  ctx.print({ dryRun: true, nodes: actions }, () =>
    [
      planTable(
        actions.map((node) => [node, node.action === 'create' ? 'would be created' : 'already registered']),
      ),
      '',
      'dry run: nothing was changed',
    ].join('\n'),
  );
  return 0;
}

/** Creates the missing nodes, then sets every weight; existing URIs (by uri) keep their node. */
async function apply(
  ctx: CommandContext,
  plan: PlannedNode[],
  existing: Map<string, string>,
): Promise<number> {
  const fleet = ctx.fleet();
  const created: CreatedNode[] = [];
  const skipped: Skipped[] = [];
  const rows: Array<[PlannedNode, string]> = [];
  const weights: Record<string, number> = {};
  for (const planned of plan) {
    const id = existing.get(planned.uri);
    if (id !== undefined) {
      skipped.push({ id, uri: planned.uri, reason: 'already registered' });
      rows.push([{ ...planned, id }, 'already registered; weight set']);
      weights[id] = planned.weight;
      continue;
    }
    try {
      created.push(await fleet.createNode(planned));
      rows.push([planned, 'created']);
      weights[planned.id] = planned.weight;
    } catch (error) {
      // Registered meanwhile, or its id is another URI's: either way this URI is not ours to create.
      if (!(error instanceof ConflictError)) throw error;
      skipped.push({ id: planned.id, uri: planned.uri, reason: error.message });
      rows.push([planned, `skipped: ${error.message}`]);
    }
  }
  // One all-or-nothing call, as the KMS_WEIGHT list is one setting.
  if (Object.keys(weights).length > 0) await fleet.setWeights(weights);
  const tokens = created.map(({ node, agentToken }) => [node.id, agentToken]);
  ctx.print({ created, skipped, weights }, () =>
    [
      planTable(rows),
      ...(tokens.length === 0
        ? []
        : [
            '',
            "agent tokens (shown once; give each to its node's agent):",
            formatTable(['NODE', 'AGENT TOKEN'], tokens),
          ]),
    ].join('\n'),
  );
  const failed = skipped.filter((skip) => skip.reason !== 'already registered');
  if (failed.length > 0) ctx.note(`error: ${failed.length} of ${plan.length} URIs could not be imported`);
  return failed.length > 0 ? 1 : 0;
}

function planTable(rows: Array<[PlannedNode, string]>): string {
  return formatTable(
    ['NODE', 'URI', 'WEIGHT', 'RESULT'],
    rows.map(([node, result]) => [node.id, node.uri, String(node.weight), result]),
  );
}

function readEnvFile(ctx: CommandContext, path: string): Record<string, string> {
  let text: string;
  try {
    text = ctx.io.readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read --env-file ${path}: ${error instanceof Error ? error.message : error}`);
  }
  return parseEnvFile(text);
}

export const importCommands: Command[] = [importOpenVidu];
