/**
 * SQL predicates shared by every statement that must agree on which nodes count. Each takes the table alias
 * and uses the `:fresh` parameter (now − heartbeat timeout), bound once per request so that all statements of
 * one batch see the same set of nodes (the SWRR totals stop adding up otherwise; reference/swrr.md).
 */

/** Eligible for a new placement: active, weighted, connected, heartbeat fresh, below capacity. */
export const eligible = (n: string) =>
  `(${n}.state = 'active' AND ${n}.weight > 0 AND ${n}.connected = 1 AND ${n}.last_heartbeat_at >= :fresh ` +
  `AND (${n}.max_sessions IS NULL OR ${n}.active_sessions < ${n}.max_sessions))`;

/**
 * Still fit to keep its sessions: not disabled and not known to be down. A node that never sent a heartbeat
 * (health unknown) keeps the sessions an operator forced onto it.
 */
export const usable = (n: string) =>
  `(${n}.state <> 'disabled' AND NOT (${n}.last_heartbeat_at IS NOT NULL ` +
  `AND (${n}.connected = 0 OR ${n}.last_heartbeat_at < :fresh)))`;
