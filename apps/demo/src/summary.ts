import type { DemoFleet, PlannedNode } from './fleet';
import { formatTable, type HealthEvent, largestGap, type Pick, tally } from './report';

/** SWRR never lets a node run a whole pick ahead of its share; phase changes (down, up) may add one each. */
export const tolerance = 3;

/** What the report is made of. */
export interface RunRecord {
  plan: readonly PlannedNode[];
  picks: Pick[];
  /** The fleet's node events since the stream began, oldest first. */
  events: HealthEvent[];
  span: { from: number; to: number };
  at: (ms: number) => string;
  /** Rooms of the stream. */
  total: number;
  failures: string[];
}

/**
 * Sums a Prometheus metric's samples by some of their labels: `{"<value> <value>": sum}`, e.g. by node and
 * outcome `{"a placed": 188, "a unreachable": 2}`.
 */
export function sumBy(text: string, metric: string, labels: readonly string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${metric}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) {
    const values = Object.fromEntries(
      [...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const key = labels.map((label) => values[label] ?? '').join(' ');
    sums[key] = (sums[key] ?? 0) + Number(match[2]);
  }
  return sums;
}

const list = (sums: Record<string, number>) =>
  Object.entries(sums)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([key, value]) => `${key} ${value}`)
    .join(', ') || 'none';

/**
 * The end of the demo: where the pipelines went against the weights (read from the fleet), what the
 * application saw, the fleet's node events, and the counters of the gateway and of the control plane.
 */
export async function printReport(
  fleet: DemoFleet,
  print: (line: string) => void,
  run: RunRecord,
): Promise<void> {
  const weights = Object.fromEntries(run.plan.map((node) => [node.id, node.weight]));
  const rows = tally(weights, run.picks, run.events, run.span);
  const holdsNow = Object.fromEntries((await fleet.nodes()).map((node) => [node.id, node.activeSessions]));
  const gap = largestGap(rows);
  const recreated = run.picks.filter((pick) => pick.kind === 'recreated').length;

  print('');
  print(
    `Where ${run.picks.length} pipelines went: ${run.picks.length - recreated} rooms and ${recreated} opened again ` +
      `(GET /v1/sessions/<pipelineId>; smooth weighted round robin, weights ${run.plan.map((n) => `${n.id} ${n.weight}`).join(', ')})`,
  );
  print('');
  for (const line of formatTable(rows, holdsNow)) print(`  ${line}`);
  print('');
  print(
    '  expected: each pipeline counts for the nodes in rotation (up, not ejected) when it was placed, by weight',
  );
  print(
    gap <= tolerance
      ? `  ✓ every node within ${gap.toFixed(1)} pipelines of its expected share`
      : `  ✗ a node is ${gap.toFixed(1)} pipelines away from its expected share (more than ${tolerance})`,
  );
  print(
    run.failures.length === 0
      ? `  ✓ no error to the application: all ${run.total} rooms and ${recreated} re-created ones opened through one kurento-client`
      : `  ✗ ${run.failures.length} errors to the application, the first: ${run.failures[0]}`,
  );

  print('');
  print('Node events (GET /v1/events?types=node.up,node.down,node.restarted,node.ejected)');
  for (const event of run.events) {
    const detail = event.type === 'ejected' ? `${event.reason} → ${event.why}` : (event.reason ?? '');
    print(`  ${run.at(event.at)}  ${event.nodeId}  ${event.type.padEnd(9)}  ${detail}`);
  }

  const gateway = await fleet.gatewayMetrics();
  const counters: Array<[string, string[]]> = [
    ['fleet_gateway_placements_total', ['node', 'outcome']],
    ['fleet_gateway_node_losses_total', ['node', 'why']],
    ['fleet_gateway_requests_total', ['outcome']],
    ['fleet_gateway_pipelines', ['node']],
  ];
  print('');
  print(`Gateway (GET http://${new URL(fleet.gatewayUri).host}/metrics)`);
  for (const [metric, labels] of counters)
    print(`  ${metric.padEnd(32)} ${list(sumBy(gateway, metric, labels))}`);

  const metrics = await fleet.api<string>('GET', '/metrics');
  if (metrics.status === 200) {
    const outcomes = {
      new: 0,
      sticky: 0,
      reassigned: 0,
      refused: 0,
      ...sumBy(metrics.body, 'fleet_assignments_total', ['outcome']),
    };
    print('');
    print(
      `Control plane (GET /metrics): fleet_assignments_total ${Object.entries(outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
}
