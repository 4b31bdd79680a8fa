import { eligible, ineligibleBecause } from './health';

/**
 * The placement policy on top of eligibility (./health), evaluated inside the placement's own transaction so
 * that no decision is taken from a stale read:
 *
 * - Slow start (`:slow` ms, 0 = off; nginx Plus `slow_start`, Envoy's slow start mode): a node that became up
 *   (first heartbeat, back after being down, a restarted KMS, the end of an ejection) takes part with an
 *   EFFECTIVE weight that grows linearly from max(1, ceil(weight / 10)) to its weight over `:slow` ms. SWRR runs
 *   on effective weights, as nginx does, so a returning node gets a growing share instead of a burst.
 * - CPU guard (`:cpu_max` percent of all cores, 100 = off): a node whose last report is at or above it is HOT
 *   and skipped for new sessions while some other eligible node is not; when every eligible node is hot,
 *   placement goes on over all of them (load alone never refuses a session).
 *
 * Parameters, besides ./health's `:fresh` and `:now`: `:slow`, `:cpu_max`.
 */

/** When the node's ramp started: it became up, or its ejection ended, whichever is later. */
const rampStart = (n: string) => `MAX(COALESCE(${n}.up_since, 0), COALESCE(${n}.ejected_until, 0))`;

/** The ramp's first step: a tenth of the weight, at least 1. */
const rampFloor = (n: string) => `MAX(1, (${n}.weight + 9) / 10)`;

/** The weight SWRR uses now: the configured weight, or less while the node is ramping up (an integer). */
export const effectiveWeight = (n: string) => `CAST(CASE
  WHEN :slow <= 0 OR ${n}.weight <= 1 OR :now - ${rampStart(n)} >= :slow THEN ${n}.weight
  ELSE ${rampFloor(n)} + (${n}.weight - ${rampFloor(n)}) * (:now - ${rampStart(n)}) / :slow END AS INTEGER)`;

/** At or above the CPU limit by its last report (percent of all its cores). */
export const hot = (n: string) => `(:cpu_max < 100 AND COALESCE(${n}.cpu_load >= :cpu_max, 0))`;

/** Some eligible node is below the CPU limit: then hot nodes are skipped. */
const someCool = `EXISTS (SELECT 1 FROM nodes cool WHERE ${eligible('cool')} AND NOT ${hot('cool')})`;

/** Why a node does not take part in the next pick, or NULL: ./health's reasons, then `cpu`. */
export const skippedBecause = (n: string) =>
  `COALESCE(${ineligibleBecause(n)}, CASE WHEN ${hot(n)} AND ${someCool} THEN 'cpu' END)`;

/** Takes part in the next pick (eligible, and not skipped by the CPU guard): no reason to skip it. */
export const placeable = (n: string) => `(${skippedBecause(n)} IS NULL)`;

/**
 * The decision of the next pick, as JSON: the nodes that take part (id, weight, effectiveWeight, current before
 * the pick) and the others with why, each in order of addition. Recorded with every placement it makes. One
 * pass over the nodes, in `seq` order (a subquery with ORDER BY feeding an aggregate is not flattened, so the
 * aggregate takes its rows in that order); each entry is built where it is aggregated, so that it stays JSON
 * without being parsed again.
 */
export const decisionJson = `(SELECT json_object(
    'eligible', json_group_array(json_object('id', d.id, 'weight', d.weight, 'effectiveWeight', d.ew,
      'current', d.current)) FILTER (WHERE d.why IS NULL),
    'skipped', json_group_array(json_object('id', d.id, 'why', d.why)) FILTER (WHERE d.why IS NOT NULL))
  FROM (SELECT e.id, e.weight, e.current, ${effectiveWeight('e')} AS ew, ${skippedBecause('e')} AS why
    FROM nodes e ORDER BY e.seq) d)`;
