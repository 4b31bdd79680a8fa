import type { NodeView } from '@kurento-fleet/db';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type AssignmentOutcome, type Metrics, nodeGauges } from './metrics';

export interface PrometheusMetricsOptions {
  /** Also export prom-client's process and Node.js runtime metrics (CPU, memory, event loop lag, GC). */
  defaultMetrics?: boolean;
}

const nonCounterTotals = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** Request latency buckets, in seconds: a placement takes about a millisecond, a slow disk a second. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Metrics with prom-client, for the Node entry. Each instance has its own registry (never prom-client's global
 * one), so that several apps in one process, as in tests, do not share counters.
 */
export function prometheusMetrics(options: PrometheusMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) {
    collectDefaultMetrics({ register: registry });
    // prom-client names these gauges with `_total`, which Prometheus keeps for counters (`promtool check metrics`
    // refuses them); the same counts, by type, stay as nodejs_active_handles, _requests and _resources.
    for (const name of nonCounterTotals) registry.removeSingleMetric(name);
  }
  const assignments = new Counter({
    name: 'fleet_assignments_total',
    help: 'POST /v1/sessions answers by node and outcome (new, sticky, reassigned, refused); refused has no node.',
    labelNames: ['node', 'outcome'] as const,
    registers: [registry],
  });
  const requests = new Histogram({
    name: 'fleet_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });
  return {
    contentType: registry.contentType,
    recordAssignment(nodeId: string | null, outcome: AssignmentOutcome) {
      // A refusal has no node: the label is left out rather than set to "" (an empty label is no label in
      // PromQL, and a series whose node cannot be named would only mislead a `by (node)` sum).
      assignments.inc(nodeId === null ? { outcome } : { node: nodeId, outcome });
    },
    observeRequest(route, method, status, seconds) {
      requests.observe({ method, route, status: String(status) }, seconds);
    },
    async render(nodes: readonly NodeView[], now: number) {
      // The gauges live in a registry of their own, built for this scrape: a node deleted since the last one
      // leaves no stale series, and two scrapes at once cannot mix their values.
      const fleet = new Registry();
      for (const family of nodeGauges(nodes, now)) {
        const gauge = new Gauge({
          name: family.name,
          help: family.help,
          labelNames: family.labelNames,
          registers: [fleet],
        });
        for (const sample of family.samples) gauge.set(sample.labels, sample.value);
      }
      return Registry.merge([registry, fleet]).metrics();
    },
  };
}
