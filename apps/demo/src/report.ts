/** Where the fleet placed one pipeline: a room of the stream (`new`) or a lost room built again (`recreated`). */
export interface Pick {
  pipelineId: string;
  nodeId: string;
  /** The fleet session's `assignedAt`, in epoch ms: the control plane's clock, like the events'. */
  at: number;
  kind: 'new' | 'recreated';
}

/** A node event from GET /v1/events. */
export interface HealthEvent {
  nodeId: string;
  at: number;
  type: 'up' | 'down' | 'restarted' | 'ejected';
  reason: string | null;
  /** `ejected`: the end of the ejection in epoch ms, or null when the fleet refused to eject (its `why` says). */
  until?: number | null;
  /** `ejected`: the fleet's why (how long, or why not). */
  why?: string;
}

export interface NodeTally {
  id: string;
  weight: number;
  /** The share of the stream's time the node was in rotation (up, and not ejected). */
  inRotation: number;
  /** Pipelines the node should get: for each, its weight over the weights of the nodes in rotation then. */
  expected: number;
  placed: number;
  /** Of `placed`, rooms built again after their KMS died. */
  recreated: number;
}

/**
 * The nodes in rotation at `at` by the fleet's record: up (every node was up when the stream began) and not
 * ejected. This is what the control plane's placement skips, so it is what a pick is compared with.
 */
export function inRotationAt(
  nodeIds: readonly string[],
  events: readonly HealthEvent[],
  at: number,
): Set<string> {
  const up = new Set(nodeIds);
  const ejectedUntil = new Map<string, number>();
  for (const event of events) {
    if (event.at > at) break;
    if (event.type === 'down') up.delete(event.nodeId);
    if (event.type === 'up') up.add(event.nodeId);
    if (event.type === 'ejected' && event.until != null) ejectedUntil.set(event.nodeId, event.until);
  }
  for (const [id, until] of ejectedUntil) if (at < until) up.delete(id);
  return up;
}

/**
 * Where the picks went against the weights. `events` oldest first; `from`..`to` is the stream's time span.
 * The expectation follows the fleet's own view, so a node out of rotation for part of the stream is expected to
 * have less.
 */
export function tally(
  weights: Readonly<Record<string, number>>,
  picks: readonly Pick[],
  events: readonly HealthEvent[],
  span: { from: number; to: number },
): NodeTally[] {
  const ids = Object.keys(weights);
  const rows = new Map(
    ids.map((id) => [
      id,
      { id, weight: weights[id] ?? 0, inRotation: 0, expected: 0, placed: 0, recreated: 0 },
    ]),
  );
  for (const pick of picks) {
    const row = rows.get(pick.nodeId);
    if (!row) continue;
    row.placed++;
    if (pick.kind === 'recreated') row.recreated++;
    const eligible = inRotationAt(ids, events, pick.at);
    const total = [...eligible].reduce((sum, id) => sum + (weights[id] ?? 0), 0);
    for (const id of eligible) {
      const eligibleRow = rows.get(id);
      if (eligibleRow && total > 0) eligibleRow.expected += (weights[id] ?? 0) / total;
    }
  }
  // Rotation changes only at an event or at the end of an ejection: between two such moments it is constant.
  const moments = [
    span.from,
    span.to,
    ...events.flatMap((event) => [event.at, ...(event.until != null ? [event.until] : [])]),
  ]
    .filter((t) => t >= span.from && t <= span.to)
    .sort((x, y) => x - y);
  const duration = Math.max(1, span.to - span.from);
  for (let i = 0; i + 1 < moments.length; i++) {
    const start = moments[i] ?? 0;
    const length = (moments[i + 1] ?? start) - start;
    for (const id of inRotationAt(ids, events, start)) {
      const row = rows.get(id);
      if (row) row.inRotation += length / duration;
    }
  }
  return [...rows.values()];
}

const percent = (value: number, total: number) =>
  total === 0 ? '–' : `${((100 * value) / total).toFixed(1)}%`;

/** The table of the report: one line a node, columns right-aligned under their headings. */
export function formatTable(
  rows: readonly NodeTally[],
  holdsNow: Readonly<Record<string, number>>,
): string[] {
  const placedTotal = rows.reduce((sum, row) => sum + row.placed, 0);
  const header = ['node', 'weight', 'in rotation', 'expected', 'placed', 'actual', 're-created', 'holds now'];
  const lines = rows.map((row) => [
    row.id,
    String(row.weight),
    `${Math.round(100 * row.inRotation)}%`,
    percent(row.expected, placedTotal),
    String(row.placed),
    percent(row.placed, placedTotal),
    String(row.recreated),
    String(holdsNow[row.id] ?? 0),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((cells) => cells[i]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('   ');
  return [format(header), ...lines.map(format)];
}

/** The largest gap, in pipelines, between what a node got and what the weights of the nodes in rotation promised. */
export function largestGap(rows: readonly NodeTally[]): number {
  return Math.max(0, ...rows.map((row) => Math.abs(row.placed - row.expected)));
}
