/**
 * @module @kurento-fleet/log — structured JSON logs, one object a line, for every process of the fleet. Runs on
 * Node and on Workers; `routeConsoleToLogger` (Node only) is the separate entry `@kurento-fleet/log/console`, and
 * the process's signal and last-resort handling `@kurento-fleet/log/process`.
 */
export * from './logger';
