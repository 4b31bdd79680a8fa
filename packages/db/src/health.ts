/**
 * The one health rule of the fleet: when a node is UP, when it is ELIGIBLE for a new session, and when it is
 * still USABLE for the sessions it holds. Every statement that needs one of them composes these fragments, and
 * the node view reads `health` back as a column, so SQL and API can never disagree.
 *
 * Each fragment takes the table alias and uses two parameters, bound once per request so that every statement
 * of one batch sees the same fleet (the SWRR totals stop adding up otherwise; docs/swrr.md):
 * - `:fresh`: the oldest heartbeat time that still counts as fresh (see freshSince in ./fleet-db: the heartbeat
 *   timeout, pushed back by the time this process could not observe);
 * - `:now`: the request's time, against which an ejection (a failure an application reported) has ended or not.
 */

/**
 * Heartbeats arrive in time and the agent last said its KMS is connected. Never NULL (a node that never
 * reported is not up), so that `NOT` of any fragment here is a plain boolean too.
 */
export const up = (n: string) => `(${n}.connected = 1 AND COALESCE(${n}.last_heartbeat_at >= :fresh, 0))`;

/** A node that reported at least once and is not up now. */
const knownDown = (n: string) => `(${n}.last_heartbeat_at IS NOT NULL AND NOT ${up(n)})`;

/** Taken out of rotation by a failure report until `ejected_until`. */
export const ejected = (n: string) => `(${n}.ejected_until IS NOT NULL AND ${n}.ejected_until > :now)`;

/** The API's `health`: `unknown` until the first heartbeat, then `up` or `down`. */
export const healthColumn = (n: string) =>
  `CASE WHEN ${n}.last_heartbeat_at IS NULL THEN 'unknown' WHEN ${up(n)} THEN 'up' ELSE 'down' END`;

/** Holds as many live sessions as its limit allows. */
const full = (n: string) => `(${n}.max_sessions IS NOT NULL AND ${n}.active_sessions >= ${n}.max_sessions)`;

/**
 * Why a node is not eligible for a new placement, the first reason in this order (what an operator fixes
 * first), or NULL when it is: `disabled`, `draining`, `weight0`, `down` (also: never reported), `ejected`,
 * `full`. The schema allows no state but active, draining and disabled, and no NULL in these columns.
 */
export const ineligibleBecause = (n: string) => `CASE
  WHEN ${n}.state = 'disabled' THEN 'disabled' WHEN ${n}.state = 'draining' THEN 'draining'
  WHEN ${n}.weight <= 0 THEN 'weight0' WHEN NOT ${up(n)} THEN 'down'
  WHEN ${ejected(n)} THEN 'ejected' WHEN ${full(n)} THEN 'full' END`;

/** Eligible for a new placement (active, weighted, up, not ejected, below its session limit): no reason not. */
export const eligible = (n: string) => `(${ineligibleBecause(n)} IS NULL)`;

/**
 * Still fit to keep its sessions: not disabled, not known to be down, not ejected. A node that never sent a
 * heartbeat (health unknown) keeps the sessions an operator forced onto it; a draining one keeps its own.
 */
export const usable = (n: string) =>
  `(${n}.state <> 'disabled' AND NOT ${knownDown(n)} AND NOT ${ejected(n)})`;
