/**
 * @module @kurento-fleet/log — structured JSON logs, one object a line, for every process of the fleet. Runs on
 * Node and on Workers; `routeConsoleToLogger` (Node only) is the separate entry `@kurento-fleet/log/console`.
 */
export * from './logger';
