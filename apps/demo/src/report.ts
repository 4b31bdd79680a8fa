/** One SWRR pick as the API answered it: a new session (201) or a moved one (200, `reassigned: true`). */
export interface Pick {
  sessionId: string;
  nodeId: string;
  /** The answer's `assignedAt`, in epoch ms: the control plane's clock, like the events'. */
  at: number;
  kind: 'new' | 'moved';
}

/** A health transition from GET /v1/events. */
export interface HealthEvent {
  nodeId: string;
  at: number;
  type: 'up' | 'down' | 'restarted';
  reason: string | null;
}

export interface NodeTally {
  id: string;
  weight: number;
  /** The share of the stream's time the fleet counted the node up. */
  upShare: number;
  /** New sessions the node should get: for each, its weight over the weights of the nodes up at that moment. */
  expected: number;
  placed: number;
  movedIn: number;
}

/** Whether each node is up at `at`, by the fleet's record; every node was up when the stream began. */
export function upAt(nodeIds: readonly string[], events: readonly HealthEvent[], at: number): Set<string> {
  const up = new Set(nodeIds);
  for (const event of events) {
    if (event.at > at) break;
    if (event.type === 'down') up.delete(event.nodeId);
    if (event.type === 'up') up.add(event.nodeId);
  }
  return up;
}

/**
 * Where the picks went against the weights. `events` oldest first; `from`..`to` is the stream's time span.
 * The expectation follows the fleet's own view of health, so a node that was down for part of the stream is
 * expected to have less, and the sessions a dead KMS got before the fleet noticed count where they went.
 */
export function tally(
  weights: Readonly<Record<string, number>>,
  picks: readonly Pick[],
  events: readonly HealthEvent[],
  span: { from: number; to: number },
): NodeTally[] {
  const ids = Object.keys(weights);
  const rows = new Map(
    ids.map((id) => [id, { id, weight: weights[id] ?? 0, upShare: 0, expected: 0, placed: 0, movedIn: 0 }]),
  );
  for (const pick of picks) {
    const row = rows.get(pick.nodeId);
    if (!row) continue;
    if (pick.kind === 'moved') {
      row.movedIn++;
      continue;
    }
    row.placed++;
    const up = upAt(ids, events, pick.at);
    const total = [...up].reduce((sum, id) => sum + (weights[id] ?? 0), 0);
    for (const id of up) {
      const upRow = rows.get(id);
      if (upRow && total > 0) upRow.expected += (weights[id] ?? 0) / total;
    }
  }
  const duration = Math.max(1, span.to - span.from);
  for (const id of ids) {
    let downSince: number | null = null;
    let down = 0;
    for (const event of events) {
      if (event.nodeId !== id || event.at < span.from) continue;
      if (event.type === 'down' && downSince === null) downSince = event.at;
      if (event.type === 'up' && downSince !== null) {
        down += Math.min(event.at, span.to) - downSince;
        downSince = null;
      }
    }
    if (downSince !== null) down += Math.max(0, span.to - downSince);
    const row = rows.get(id);
    if (row) row.upShare = Math.max(0, 1 - Math.min(down, duration) / duration);
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
  const header = ['node', 'weight', 'up', 'expected', 'placed', 'actual', 'moved in', 'holds now'];
  const lines = rows.map((row) => [
    row.id,
    String(row.weight),
    `${Math.round(100 * row.upShare)}%`,
    percent(row.expected, placedTotal),
    String(row.placed),
    percent(row.placed, placedTotal),
    String(row.movedIn),
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

/** The largest gap, in sessions, between what a node got and what the weights of the nodes up promised it. */
export function largestGap(rows: readonly NodeTally[]): number {
  return Math.max(0, ...rows.map((row) => Math.abs(row.placed - row.expected)));
}
