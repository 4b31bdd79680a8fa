import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The JSON-RPC methods KMS registers; anything else is counted as `other`, so that labels stay bounded. */
const METHODS = new Set([
  'connect',
  'create',
  'describe',
  'invoke',
  'keepAlive',
  'ping',
  'ref',
  'release',
  'subscribe',
  'transaction',
  'unref',
  'unsubscribe',
  'closeSession',
]);

/** What the metrics read from the gateway at scrape time. */
export interface GatewayGauges {
  clients(): number;
  virtualSessions(): number;
  pipelinesByNode(): ReadonlyMap<string, number>;
  nodesUp(): ReadonlyMap<string, boolean>;
  pendingFleetWrites(): number;
}

/** The gateway's Prometheus metrics, in a registry of its own (several gateways may share a test process). */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'outcome'>;
  private readonly latency: Histogram<'method'>;
  private readonly reconnects: Counter<'node'>;
  private readonly losses: Counter<'node' | 'why'>;
  private readonly placements: Counter<'node' | 'outcome'>;
  private readonly dropped: Counter;
  private readonly children = new Map<
    string,
    { ok: Counter.Internal; error: Counter.Internal; latency: Histogram.Internal<'method'> }
  >();

  constructor(gauges: GatewayGauges) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // prom-client names three gauges `*_total`, which promtool's lint refuses (a suffix for counters only).
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.registry.removeSingleMetric(name);
    }
    new Gauge({
      name: 'fleet_gateway_clients',
      help: 'Open application connections',
      registers,
      collect() {
        this.set(gauges.clients());
      },
    });
    new Gauge({
      name: 'fleet_gateway_virtual_sessions',
      help: 'Virtual KMS sessions held (one per application connection, kept a while after it drops)',
      registers,
      collect() {
        this.set(gauges.virtualSessions());
      },
    });
    new Gauge({
      name: 'fleet_gateway_pending_fleet_writes',
      help: 'Releases and registrations of fleet sessions waiting for the control plane to take them',
      registers,
      collect() {
        this.set(gauges.pendingFleetWrites());
      },
    });
    new Gauge({
      name: 'fleet_gateway_pipelines',
      help: 'Pipelines the gateway routes, per node',
      labelNames: ['node'],
      registers,
      collect() {
        this.reset();
        for (const [node, count] of gauges.pipelinesByNode()) this.set({ node }, count);
      },
    });
    new Gauge({
      name: 'fleet_gateway_node_up',
      help: '1 while the gateway is connected to the node, else 0',
      labelNames: ['node'],
      registers,
      collect() {
        this.reset();
        for (const [node, up] of gauges.nodesUp()) this.set({ node }, up ? 1 : 0);
      },
    });
    this.requests = new Counter({
      name: 'fleet_gateway_requests_total',
      help: 'JSON-RPC requests answered, by method and outcome (ok: a result; error: a JSON-RPC error)',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'fleet_gateway_request_duration_seconds',
      help: 'From a request frame received to its answer sent, by method',
      labelNames: ['method'],
      // Relayed calls take a fraction of a millisecond; placements and ServerManager unions take longer.
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    this.reconnects = new Counter({
      name: 'fleet_gateway_backend_reconnects_total',
      help: 'KMS sockets of virtual sessions opened again after a drop, per node',
      labelNames: ['node'],
      registers,
    });
    this.losses = new Counter({
      name: 'fleet_gateway_node_losses_total',
      help: 'Times a node lost its pipelines: failed (gone past the grace) or restarted (a new KMS process)',
      labelNames: ['node', 'why'],
      registers,
    });
    this.dropped = new Counter({
      name: 'fleet_gateway_dropped_frames_total',
      help: 'Answers and events dropped for a session whose socket was down and whose buffer was full',
      registers,
    });
    this.placements = new Counter({
      name: 'fleet_gateway_placements_total',
      help: 'New pipelines placed through the fleet, per node (outcome unreachable: placed again elsewhere)',
      labelNames: ['node', 'outcome'],
      registers,
    });
  }

  /** One answered request; `startedMs` from performance.now(). */
  answered(method: string, ok: boolean, startedMs: number): void {
    const label = METHODS.has(method) ? method : 'other';
    let children = this.children.get(label);
    if (!children) {
      // Resolved once per method: a labelled call hashes its labels every time, on the path of every request.
      children = {
        ok: this.requests.labels(label, 'ok'),
        error: this.requests.labels(label, 'error'),
        latency: this.latency.labels(label),
      };
      this.children.set(label, children);
    }
    (ok ? children.ok : children.error).inc();
    children.latency.observe((performance.now() - startedMs) / 1000);
  }

  reconnected(node: string): void {
    this.reconnects.inc({ node });
  }

  lost(node: string, why: 'failed' | 'restarted'): void {
    this.losses.inc({ node, why });
  }

  droppedFrame(): void {
    this.dropped.inc();
  }

  placed(node: string, outcome: 'placed' | 'unreachable'): void {
    this.placements.inc({ node, outcome });
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
