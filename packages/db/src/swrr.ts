import { defineStatement } from './client';
import { effectiveWeight, placeable } from './placement-policy';

/**
 * Every statement of smooth weighted round robin (nginx's ngx_http_upstream_get_peer; docs/swrr.md), in SQL,
 * so that a pick is one atomic step of the database and replicas sharing it produce exactly one sequence:
 *
 * | algorithm (docs/swrr.md)                                      | statement            |
 * |---------------------------------------------------------------|----------------------|
 * | E = the eligible nodes (./health, ./placement-policy)         | `placeable(e)`       |
 * | w_i = the weight SWRR uses (slow start may lower it)          | `effectiveWeight(e)` |
 * | best = argmax(current_i + w_i), ties to the first added       | `nextWinner`         |
 * | current_i += w_i for every i in E; current_best −= Σ_{i∈E} w_i | `swrrAdvance`        |
 * | a weight written, a node added or deleted: every current = 0  | `reset…`             |
 *
 * The reference's order (raise all, pick the largest, lower it) is done as "pick on current + w, then raise
 * all and lower the winner by the total", in one UPDATE: the winner is chosen on current + w, which is what
 * raising first would compare, so both orders leave the same state. The caller marks the winner (with the
 * request's `:nonce`) in an earlier statement of the same batch, from `nextWinner`; the total is a sum of
 * weights of eligible nodes, which no change of `current` moves, so it is the same for every row of the UPDATE.
 * Both statements read eligibility with the same bound `:now` and `:fresh`, or the total subtracted and the
 * weights added would not match. Nodes outside E keep their current, so a node coming back resumes where it
 * stopped. The reference model the tests hold these statements against is @kurento-fleet/swrr.
 */

/** The id the next pick goes to, or NULL when no node takes part. */
export const nextWinner = `(SELECT e.id FROM nodes e WHERE ${placeable('e')}
  ORDER BY e.current + ${effectiveWeight('e')} DESC, e.seq ASC LIMIT 1)`;

const placeableTotal = `(SELECT SUM(${effectiveWeight('e')}) FROM nodes e WHERE ${placeable('e')})`;

/** The parameters of the pick: the policy's, the health rule's, and the request's nonce. */
type PickParams = 'now' | 'fresh' | 'slow' | 'cpu_max' | 'nonce';

/**
 * The pick's update, taken only when `when` (a SQL condition on the request's parameters) holds and a winner
 * was marked with `:nonce`: every eligible node gains its weight, and the marked winner loses the total.
 */
export function swrrAdvance<P extends string>(when: string) {
  return defineStatement<PickParams | P>(`
    UPDATE nodes SET current = current + ${effectiveWeight('nodes')}
      - CASE WHEN op_nonce = :nonce THEN ${placeableTotal} ELSE 0 END
    WHERE ${when} AND ${placeable('nodes')} AND EXISTS (SELECT 1 FROM nodes p WHERE p.op_nonce = :nonce)`);
}

/**
 * Restarts the cycle (every current = 0, like nginx after a reload) when `condition` holds: the caller's guard,
 * so that a request that fails resets nothing.
 */
export function resetCycleWhen<P extends string = never>(condition: string) {
  return defineStatement<P>(`UPDATE nodes SET current = 0 WHERE ${condition}`);
}

/** A node added. */
export const resetCycle = resetCycleWhen('1');

/** Any weight written to an existing node, even the same value. */
export const resetCycleIfWeighted = resetCycleWhen<'id' | 'set_weight'>(
  ':set_weight = 1 AND EXISTS (SELECT 1 FROM nodes WHERE id = :id)',
);

/** A node deleted (the rows marked with the request's nonce). */
export const resetCycleIfMarked = resetCycleWhen<'nonce'>(
  'EXISTS (SELECT 1 FROM nodes WHERE op_nonce = :nonce)',
);
