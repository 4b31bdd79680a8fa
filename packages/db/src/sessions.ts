import type { Assignment, SessionPage } from '@kurento-fleet/contract';
import { defineStatement, type Row, uniqueViolation } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { FleetError } from './errors';
import { type FleetDb, ruleParams } from './fleet-db';
import { usable } from './health';
import { eventsFrom } from './outbox';
import { decisionJson } from './placement-policy';
import { rowsAs, type With } from './rows';
import { nextWinner, swrrAdvance } from './swrr';
import { type AssignmentRow, toAssignmentView } from './views';

type AssignParams = 'sid' | 'fresh' | 'now' | 'slow' | 'cpu_max' | 'nonce' | 'forced';

const live = `EXISTS (SELECT 1 FROM sessions ls JOIN nodes ln ON ln.id = ls.node_id WHERE ls.id = :sid AND ${usable('ln')})`;

/** Where this request places the session: the forced node (unless disabled), or the next SWRR pick. */
const target = `CASE WHEN :forced IS NULL THEN ${nextWinner}
  ELSE (SELECT f.id FROM nodes f WHERE f.id = :forced AND f.state <> 'disabled') END`;

/**
 * The batch of a placement. The first statement decides, once: when the session has no live assignment and
 * there is a node for it, it marks that node with the request's `:nonce`; every later statement acts on the
 * marked node (`op_nonce = :nonce`) and does nothing when none is marked (sticky, or nothing eligible). The
 * pick (the SWRR subqueries, the costliest part of a placement) is evaluated in this one statement only.
 */
const markTarget = defineStatement<AssignParams>(`
  UPDATE nodes SET op_nonce = :nonce WHERE id = ${target} AND NOT ${live}`);

const marked = 'FROM nodes t WHERE t.op_nonce = :nonce';

/**
 * Logs the placement, with the decision of a pick (./placement-policy) taken BEFORE the pick changes the
 * currents that explain it. For the dashboard's "where sessions went" chart and `GET /v1/placements`.
 */
const logPlacement = defineStatement<AssignParams>(`
  INSERT INTO placements (session_id, node_id, outcome, at, decision)
  SELECT :sid, t.id, CASE WHEN :forced IS NOT NULL THEN 'forced'
      WHEN EXISTS (SELECT 1 FROM sessions WHERE id = :sid) THEN 'reassigned' ELSE 'new' END,
    :now, CASE WHEN :forced IS NULL THEN ${decisionJson} END
  ${marked}`);

/** The outbox: session.placed, or session.moved off the node it had (./outbox). */
const recordPlacement = defineStatement<'sid' | 'now' | 'nonce' | 'forced'>(
  eventsFrom({
    type: { sql: "CASE WHEN old.node_id IS NULL THEN 'session.placed' ELSE 'session.moved' END" },
    at: ':now',
    node: 't.id',
    session: ':sid',
    data: `CASE WHEN old.node_id IS NOT NULL THEN json_object('from', old.node_id, 'to', t.id)
      ELSE '{"forced":' || CASE WHEN :forced IS NULL THEN 'false' ELSE 'true' END || '}' END`,
    from: `FROM nodes t LEFT JOIN sessions old ON old.id = :sid WHERE t.op_nonce = :nonce`,
  }),
);

/** The pick itself, when it was one (no node forced): ./swrr. */
const advanceCurrents = swrrAdvance<'forced'>(':forced IS NULL');

/**
 * Records the placement on the marked node: a new row, or a move of a session whose node is no longer usable.
 * `placement = :nonce` lets this request recognise its own write afterwards. After the pick: the session it
 * adds may fill its node, which must not take the node out of the pick it was chosen by.
 */
const upsertSession = defineStatement<'sid' | 'now' | 'nonce'>(`
  INSERT INTO sessions (id, node_id, created_at, assigned_at, reassigned, placement)
  SELECT :sid, t.id, :now, :now, 0, :nonce ${marked}
  ON CONFLICT (id) DO UPDATE SET
    node_id = excluded.node_id, assigned_at = excluded.assigned_at, reassigned = 1, placement = excluded.placement`);

const clearNonce = defineStatement<'nonce'>('UPDATE nodes SET op_nonce = NULL WHERE op_nonce = :nonce');

const readOutcome = defineStatement<'sid' | 'fresh' | 'now' | 'nonce' | 'forced'>(`
  SELECT s.id, s.node_id, n.uri AS kms_uri, s.assigned_at, s.reassigned,
         s.placement = :nonce AS placed_now, ${usable('n')} AS usable,
         (SELECT f.state FROM nodes f WHERE f.id = :forced) AS forced_state
  FROM (SELECT 1) LEFT JOIN sessions s ON s.id = :sid LEFT JOIN nodes n ON n.id = s.node_id`);

/** A live assignment, read without the write lock: what the batch below would return as sticky. */
const readLive = defineStatement<'sid' | 'fresh' | 'now'>(`
  SELECT s.id, s.node_id, n.uri AS kms_uri, s.assigned_at
  FROM sessions s JOIN nodes n ON n.id = s.node_id WHERE s.id = :sid AND ${usable('n')}`);

/** What readOutcome reads: the session as it stands after the batch (NULLs when it has none), and why. */
type OutcomeRow = AssignmentRow & With<'placed_now' | 'usable' | 'forced_state'>;

export type AssignOutcome = 'new' | 'sticky' | 'reassigned';

export interface AssignResult {
  outcome: AssignOutcome;
  assignment: Assignment;
}

/**
 * Places a session, atomically: a live assignment is returned as it is (sticky, no pick consumed); a new
 * session, or one whose node is down or disabled, gets the next SWRR pick, or the forced `nodeId`.
 * Concurrent calls for one new session serialize on the write lock, so exactly one of them places it.
 */
export async function assignSession(
  db: FleetDb,
  input: { sessionId: string; nodeId?: string | undefined },
): Promise<AssignResult> {
  const params = {
    ...ruleParams(db),
    sid: input.sessionId,
    nonce: crypto.randomUUID(),
    forced: input.nodeId ?? null,
  };
  if (db.client.local) {
    // Sticky calls are most calls. On a local file a read costs a few µs against a whole write transaction;
    // reading outside the lock is exact: it sees a committed assignment, as if it ran just before any write
    // racing with it. A miss (new, moved or released session) falls through to the atomic batch.
    const [live] = rowsAs<AssignmentRow>(await db.client.query(readLive(params)));
    if (live) return { outcome: 'sticky', assignment: toAssignmentView(live, false) };
  }
  const results = await db.client.batch([
    markTarget(params),
    logPlacement(params),
    recordPlacement(params),
    advanceCurrents(params),
    upsertSession(params),
    clearNonce(params),
    readOutcome(params),
  ]);
  const [row] = rowsAs<OutcomeRow>(results.at(-1) ?? []);
  if (!row) throw new Error('the placement batch read no outcome');
  if (row.id !== null && row.placed_now === 1) {
    const reassigned = row.reassigned === 1;
    return { outcome: reassigned ? 'reassigned' : 'new', assignment: toAssignmentView(row, reassigned) };
  }
  if (row.id !== null && row.usable === 1) {
    return { outcome: 'sticky', assignment: toAssignmentView(row, false) };
  }
  if (input.nodeId !== undefined) {
    if (row.forced_state === null)
      throw new FleetError('NOT_FOUND', `Node '${input.nodeId}' does not exist.`);
    throw new FleetError('CONFLICT', `Node '${input.nodeId}' is disabled and takes no sessions.`);
  }
  throw new FleetError(
    'NO_NODE_AVAILABLE',
    row.id === null
      ? 'No node is eligible for a new session (active, up, weight > 0, below maxSessions).'
      : `Session '${input.sessionId}' is on a node that is down or disabled, and no other node is eligible.`,
  );
}

const selectAssignment = `
  SELECT s.id, s.node_id, n.uri AS kms_uri, s.assigned_at, s.reassigned, s.seq
  FROM sessions s JOIN nodes n ON n.id = s.node_id`;

const getById = defineStatement<'sid'>(`${selectAssignment} WHERE s.id = :sid`);

export async function getSession(db: FleetDb, sessionId: string): Promise<Assignment> {
  const [row] = rowsAs<AssignmentRow>(await db.client.query(getById({ sid: sessionId })));
  if (!row) throw new FleetError('NOT_FOUND', `Session '${sessionId}' does not exist.`);
  return toAssignmentView(row);
}

const renameById = defineStatement<'sid' | 'to'>('UPDATE sessions SET id = :to WHERE id = :sid RETURNING id');
const recordRename = defineStatement<'sid' | 'to' | 'now'>(
  eventsFrom({
    type: 'session.renamed',
    at: ':now',
    node: 'node_id',
    session: ':to',
    data: "json_object('from', :sid)",
    from: 'FROM sessions WHERE id = :sid AND :sid <> :to',
  }),
);
const renameInLog = defineStatement<'sid' | 'to'>(
  'UPDATE placements SET session_id = :to WHERE session_id = :sid',
);

/**
 * Gives a session a new id, on the same node, with the same assignment time and no pick consumed. What a KMS
 * gateway needs: it places a new MediaPipeline under a temporary key before the KMS has named the pipeline, then
 * renames the session to the pipeline's id. `to` taken already → CONFLICT.
 */
export async function renameSession(db: FleetDb, sessionId: string, to: string): Promise<Assignment> {
  let results: Row[][];
  try {
    const params = { sid: sessionId, to, now: db.now() };
    results = await db.client.batch([
      recordRename(params),
      renameById(params),
      renameInLog(params),
      getById({ sid: to }),
    ]);
  } catch (error) {
    if (uniqueViolation(error) === 'sessions.id')
      throw new FleetError('CONFLICT', `to: a session with id '${to}' exists.`);
    throw error;
  }
  const [row] = rowsAs<AssignmentRow>(results[3] ?? []);
  if (!results[1]?.length || !row)
    throw new FleetError('NOT_FOUND', `Session '${sessionId}' does not exist.`);
  return toAssignmentView(row);
}

const deleteById = defineStatement<'sid'>('DELETE FROM sessions WHERE id = :sid RETURNING id');
const recordRelease = defineStatement<'sid' | 'now'>(
  eventsFrom({
    type: 'session.released',
    at: ':now',
    node: 'node_id',
    session: 'id',
    data: "'{}'",
    from: 'FROM sessions WHERE id = :sid',
  }),
);
/** A draining node whose last session this is: drained once it goes (written before the delete, in order). */
const recordDrained = defineStatement<'sid' | 'now'>(
  eventsFrom({
    type: 'node.drained',
    at: ':now',
    node: 'n.id',
    session: 'NULL',
    data: "json_object('reason', 'its last session was released')",
    from: `FROM sessions s JOIN nodes n ON n.id = s.node_id
      WHERE s.id = :sid AND n.state = 'draining' AND n.active_sessions = 1`,
  }),
);

/** Ends a session; the trigger on `sessions` frees its node's capacity in the same statement. */
export async function releaseSession(db: FleetDb, sessionId: string): Promise<void> {
  const params = { sid: sessionId, now: db.now() };
  const [, , deleted] = await db.client.batch([
    recordRelease(params),
    recordDrained(params),
    deleteById(params),
  ]);
  if (!deleted?.length) throw new FleetError('NOT_FOUND', `Session '${sessionId}' does not exist.`);
}

const listPage = defineStatement<'node' | 'after' | 'limit'>(`
  ${selectAssignment}
  WHERE (:node IS NULL OR s.node_id = :node) AND s.seq > :after
  ORDER BY s.seq LIMIT :limit`);

/** Lists sessions oldest first; the cursor is the last seen `seq`, opaque to clients. */
export async function listSessions(
  db: FleetDb,
  input: { nodeId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<SessionPage> {
  const after = input.cursor === undefined ? 0 : decodeCursor(input.cursor);
  const rows = await db.client.query(listPage({ node: input.nodeId ?? null, after, limit: input.limit + 1 }));
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    sessions: rowsAs<AssignmentRow>(page).map((row) => toAssignmentView(row)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(Number(last.seq)) : null,
  };
}
