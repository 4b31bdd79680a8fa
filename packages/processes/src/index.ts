/**
 * @module @kurento-fleet/processes — runs the repository's entries as real child processes and waits on their
 * log lines: the control plane, and any TypeScript entry through tsx. For tests, the demo and the benchmarks.
 */

export * from './child-message';
export * from './control-plane';
export * from './entries';
export * from './fleet-api';
export * from './quick-timings';
export * from './tsx-process';
export * from './webhook-receiver';
