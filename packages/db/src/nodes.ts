import type { CreateNodeInput, Node, TopologyNode, UpdateNodeInput } from '@kurento-fleet/contract';
import { defineStatement, type Row, uniqueViolation } from './client';
import { FleetError } from './errors';
import { type FleetDb, freshSince } from './fleet-db';
import { eventsFrom } from './outbox';
import { rowsAs } from './rows';
import { issueToken } from './secrets';
import { resetCycle, resetCycleIfMarked, resetCycleIfWeighted, resetCycleWhen } from './swrr';
import { type NodeViewRow, nodeViewColumns, toNodeView } from './views';

// Adding or deleting a node, or writing any weight, restarts the SWRR cycle (./swrr's reset statements).
// Each statement below that does so is guarded so that a failed request resets nothing.

const insertNode = defineStatement<'id' | 'uri' | 'weight' | 'max' | 'region' | 'labels' | 'now'>(`
  INSERT INTO nodes (id, seq, uri, weight, state, current, max_sessions, region, labels, created_at, updated_at)
  VALUES (:id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM nodes), :uri, :weight, 'active', 0, :max, :region, :labels,
          :now, :now)`);

const insertAgentToken = defineStatement<'tid' | 'hash' | 'id' | 'now'>(`
  INSERT INTO tokens (id, role, name, hash, node_id, created_at)
  SELECT :tid, 'agent', 'agent of ' || n.id, :hash, n.id, :now FROM nodes n WHERE n.id = :id RETURNING id`);

type ViewParams = 'fresh' | 'now';

const selectNode = defineStatement<'id' | ViewParams>(
  `SELECT ${nodeViewColumns('nodes')} FROM nodes WHERE id = :id`,
);

/** The parameters every node view is read with (./health). */
function viewParams(db: FleetDb): { fresh: number; now: number } {
  const now = db.now();
  return { fresh: freshSince(db, now), now };
}

/** The node of a result set read with nodeViewColumns, or NOT_FOUND. */
function nodeView(rows: readonly Row[] | undefined, id: string): Node {
  const [row] = rowsAs<NodeViewRow>(rows ?? []);
  if (!row) throw new FleetError('NOT_FOUND', `Node '${id}' does not exist.`);
  return toNodeView(row);
}

/** Registers a KMS node and issues its agent token (returned this once). Same id or uri → CONFLICT. */
export async function createNode(
  db: FleetDb,
  input: CreateNodeInput,
): Promise<{ node: Node; agentToken: string }> {
  const id = input.id ?? `node-${crypto.randomUUID().slice(0, 8)}`;
  const now = db.now();
  const token = await issueToken();
  try {
    const results = await db.client.batch([
      insertNode({
        id,
        uri: input.uri,
        weight: input.weight ?? 1,
        max: input.maxSessions ?? null,
        region: input.region ?? null,
        labels: JSON.stringify(input.labels ?? {}),
        now,
      }),
      insertAgentToken({ tid: token.id, hash: token.hash, id, now }),
      resetCycle({}),
      selectNode({ id, ...viewParams(db) }),
    ]);
    return { node: nodeView(results[3], id), agentToken: token.token };
  } catch (error) {
    const column = uniqueViolation(error);
    if (column === 'nodes.uri')
      throw new FleetError('CONFLICT', `uri: a node with uri '${input.uri}' exists.`);
    if (column === 'nodes.id') throw new FleetError('CONFLICT', `id: a node with id '${id}' exists.`);
    throw error;
  }
}

const selectNodes = defineStatement<ViewParams>(`SELECT ${nodeViewColumns('nodes')} FROM nodes ORDER BY id`);

export async function listNodes(db: FleetDb): Promise<Node[]> {
  return rowsAs<NodeViewRow>(await db.client.query(selectNodes(viewParams(db)))).map(toNodeView);
}

export async function getNode(db: FleetDb, id: string): Promise<Node> {
  return nodeView(await db.client.query(selectNode({ id, ...viewParams(db) })), id);
}

/** Where the KMS are: what a gateway or an app with one connection per KMS needs, and no more. */
export async function getTopology(db: FleetDb): Promise<TopologyNode[]> {
  return rowsAs<NodeViewRow>(await db.client.query(selectNodes(viewParams(db)))).map((row) => {
    const { id, uri, state, health, ejectedUntil } = toNodeView(row);
    return { id, uri, state, health, ejectedUntil };
  });
}

type PatchField = 'weight' | 'max' | 'region' | 'labels' | 'state';
type PatchParams = 'id' | ViewParams | PatchField | `set_${PatchField}`;

// One fixed statement (cached once prepared) where each field is written only when its `set_` flag is 1.
const patchNode = defineStatement<PatchParams>(`
  UPDATE nodes SET
    weight = CASE WHEN :set_weight = 1 THEN :weight ELSE weight END,
    max_sessions = CASE WHEN :set_max = 1 THEN :max ELSE max_sessions END,
    region = CASE WHEN :set_region = 1 THEN :region ELSE region END,
    labels = CASE WHEN :set_labels = 1 THEN :labels ELSE labels END,
    state = CASE WHEN :set_state = 1 THEN :state ELSE state END,
    updated_at = :now
  WHERE id = :id RETURNING ${nodeViewColumns('nodes')}`);

/** A node set to draining that holds no session is drained at once: whoever waits for it hears so. */
const recordDrainedAtOnce = defineStatement<'id' | 'now' | 'set_state' | 'state'>(
  eventsFrom({
    type: 'node.drained',
    at: ':now',
    node: 'id',
    session: 'NULL',
    data: "json_object('reason', 'set to draining while it held no session')",
    from: `FROM nodes WHERE id = :id AND :set_state = 1 AND :state = 'draining' AND state <> 'draining'
      AND active_sessions = 0`,
  }),
);

/** Changes a node's settings; fields left undefined stay as they are, `null` clears maxSessions or region. */
export async function updateNode(db: FleetDb, id: string, patch: UpdateNodeInput): Promise<Node> {
  const flag = (value: unknown) => (value === undefined ? 0 : 1);
  const params = {
    id,
    ...viewParams(db),
    set_weight: flag(patch.weight),
    weight: patch.weight ?? null,
    set_max: flag(patch.maxSessions),
    max: patch.maxSessions ?? null,
    set_region: flag(patch.region),
    region: patch.region ?? null,
    set_labels: flag(patch.labels),
    labels: patch.labels === undefined ? null : JSON.stringify(patch.labels),
    set_state: flag(patch.state),
    state: patch.state ?? null,
  };
  const [, updated] = await db.client.batch([
    recordDrainedAtOnce(params),
    patchNode(params),
    resetCycleIfWeighted(params),
  ]);
  return nodeView(updated, id);
}

const markForDelete = defineStatement<'id' | 'nonce' | 'force'>(`
  UPDATE nodes SET op_nonce = :nonce WHERE id = :id AND (:force = 1 OR active_sessions = 0) RETURNING id`);
const marked = 'SELECT id FROM nodes WHERE op_nonce = :nonce';
const recordForcedReleases = defineStatement<'nonce' | 'now'>(
  eventsFrom({
    type: 'session.released',
    at: ':now',
    node: 'node_id',
    session: 'id',
    data: "json_object('reason', 'its node was deleted')",
    from: `FROM sessions WHERE node_id IN (${marked}) ORDER BY seq`,
  }),
);
const deleteMarkedSessions = defineStatement<'nonce'>(`DELETE FROM sessions WHERE node_id IN (${marked})`);
const deleteMarkedTokens = defineStatement<'nonce'>(`DELETE FROM tokens WHERE node_id IN (${marked})`);
const deleteMarked = defineStatement<'nonce'>('DELETE FROM nodes WHERE op_nonce = :nonce');

/** Removes a node. While it holds sessions: CONFLICT, unless `force`, which releases them. */
export async function deleteNode(db: FleetDb, id: string, force: boolean): Promise<void> {
  const params = { id, nonce: crypto.randomUUID(), force: force ? 1 : 0, now: db.now() };
  const results = await db.client.batch([
    markForDelete(params),
    recordForcedReleases(params),
    deleteMarkedSessions(params),
    deleteMarkedTokens(params),
    resetCycleIfMarked(params),
    deleteMarked(params),
    selectNode({ id, ...viewParams(db) }),
  ]);
  if (results[0]?.length) return;
  const [remaining] = rowsAs<NodeViewRow>(results[6] ?? []);
  if (!remaining) throw new FleetError('NOT_FOUND', `Node '${id}' does not exist.`);
  throw new FleetError(
    'CONFLICT',
    `Node '${id}' holds ${remaining.active_sessions} active sessions; drain it first or delete with ?force=true.`,
  );
}

const unknownIds = 'SELECT j.key FROM json_each(:weights) j WHERE j.key NOT IN (SELECT id FROM nodes)';

// All-or-nothing: both statements write only when every id exists. The map travels as one JSON parameter, so
// the statements stay the same (and within D1's 100-parameter limit) for any fleet size.
const allKnown = `NOT EXISTS (${unknownIds}) AND EXISTS (SELECT 1 FROM json_each(:weights))`;
const writeWeights = defineStatement<'weights' | 'now'>(`
  UPDATE nodes SET
    weight = COALESCE((SELECT j.value FROM json_each(:weights) j WHERE j.key = nodes.id), weight),
    updated_at = CASE WHEN id IN (SELECT key FROM json_each(:weights)) THEN :now ELSE updated_at END
  WHERE ${allKnown}`);
const resetCycleIfWeightsWritten = resetCycleWhen<'weights'>(allKnown);
const selectUnknownIds = defineStatement<'weights'>(unknownIds);

/** Sets several weights at once (the KMS_WEIGHT list as one call); an unknown id changes nothing. */
export async function setWeights(db: FleetDb, weights: Record<string, number>): Promise<Node[]> {
  const view = viewParams(db);
  const params = { weights: JSON.stringify(weights), now: view.now };
  const results = await db.client.batch([
    writeWeights(params),
    resetCycleIfWeightsWritten(params),
    selectUnknownIds(params),
    selectNodes(view),
  ]);
  const unknown = (results[2] ?? []).map((row) => `'${row.key}'`);
  if (unknown.length) throw new FleetError('NOT_FOUND', `weights: unknown node ids ${unknown.join(', ')}.`);
  return rowsAs<NodeViewRow>(results[3] ?? []).map(toNodeView);
}

const deleteAgentToken = defineStatement<'id'>("DELETE FROM tokens WHERE node_id = :id AND role = 'agent'");

/** Issues a new agent token for the node; the old one stops working in the same transaction. */
export async function rotateAgentToken(db: FleetDb, id: string): Promise<string> {
  const token = await issueToken();
  const [, inserted] = await db.client.batch([
    deleteAgentToken({ id }),
    insertAgentToken({ tid: token.id, hash: token.hash, id, now: db.now() }),
  ]);
  if (!inserted?.length) throw new FleetError('NOT_FOUND', `Node '${id}' does not exist.`);
  return token.token;
}
