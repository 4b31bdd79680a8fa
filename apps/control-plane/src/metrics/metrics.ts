import type { NodeView } from '@kurento-fleet/db';

/** How a `POST /v1/sessions` call ended; `refused` is a 503 NO_NODE_AVAILABLE. */
export type AssignmentOutcome = 'new' | 'sticky' | 'reassigned' | 'refused';

/**
 * What the app reports to a metrics backend, and asks it to render for `GET /metrics`. Counters and the
 * latency histogram belong to one process (standard Prometheus practice: scrape every replica); the per-node
 * gauges are computed from the database at scrape time, so every replica reports the same ones.
 */
export interface Metrics {
  /** A placement answer; `nodeId` is null for a refusal. */
  recordAssignment(nodeId: string | null, outcome: AssignmentOutcome): void;
  /** One answered request, labelled by its route pattern (never the raw path: one series per URL is unbounded). */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** The Prometheus text exposition, with the fleet's gauges as `nodes` show them at `now` (epoch ms). */
  render(nodes: readonly NodeView[], now: number): Promise<string>;
  /** The media type of `render`'s text. */
  readonly contentType: string;
}

/** The content type of the Prometheus text format, version 0.0.4 (what prom-client and scrapers speak). */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

/** One gauge and its samples, computed from the database at scrape time. */
export interface GaugeFamily {
  name: string;
  help: string;
  labelNames: readonly string[];
  samples: { labels: Record<string, string>; value: number }[];
}

/**
 * The per-node gauges, defined once for both renderings (prom-client on Node, ./gauges-only.ts on the edge).
 * A node without a heartbeat yet has no heartbeat age, and one without a KMS report no KMS figures: an absent
 * series says "unknown" where a 0 would lie.
 */
export function nodeGauges(nodes: readonly NodeView[], now: number): GaugeFamily[] {
  const perNode = (
    name: string,
    help: string,
    value: (node: NodeView) => number | null | undefined,
  ): GaugeFamily => ({
    name,
    help,
    labelNames: ['node'],
    samples: nodes.flatMap((node) => {
      const v = value(node);
      return v === null || v === undefined ? [] : [{ labels: { node: node.id }, value: v }];
    }),
  });
  return [
    {
      name: 'fleet_node_info',
      help: 'Always 1; the labels carry the node’s uri, state (active, draining, disabled), health and region.',
      labelNames: ['node', 'uri', 'state', 'health', 'region'],
      samples: nodes.map((node) => ({
        labels: {
          node: node.id,
          uri: node.uri,
          state: node.state,
          health: node.health,
          region: node.region ?? '',
        },
        value: 1,
      })),
    },
    perNode('fleet_node_up', '1 while the node is up (fresh heartbeats, KMS connected), else 0.', (node) =>
      node.health === 'up' ? 1 : 0,
    ),
    perNode('fleet_node_weight', 'The node’s SWRR weight (0: never picked).', (node) => node.weight),
    perNode(
      'fleet_node_active_sessions',
      'Sessions assigned to the node and not released.',
      (node) => node.activeSessions,
    ),
    perNode(
      'fleet_node_max_sessions',
      'The node’s session limit, for nodes that have one.',
      (node) => node.maxSessions,
    ),
    perNode('fleet_node_heartbeat_age_seconds', 'Seconds since the node’s agent last reported.', (node) =>
      node.lastHeartbeatAt === null ? null : Math.max(0, (now - Date.parse(node.lastHeartbeatAt)) / 1000),
    ),
    // Prometheus keeps units in names and ratios in 0..1: the KMS reports percent of one core (400 = four busy
    // cores), so the share of the machine is that over 100 × cores.
    perNode(
      'fleet_node_kms_cpu_usage_ratio',
      'KMS CPU use as a share of all its cores (0 to 1), as last reported.',
      (node) => (node.kms ? node.kms.usedCpuPercent / 100 / node.kms.cpuCount : null),
    ),
    perNode('fleet_node_kms_memory_bytes', 'KMS memory use in bytes, as last reported.', (node) =>
      node.kms ? node.kms.usedMemoryKiB * 1024 : null,
    ),
    perNode(
      'fleet_node_kms_pipelines',
      'KMS media pipelines, as last reported.',
      (node) => node.kms?.pipelines,
    ),
  ];
}
