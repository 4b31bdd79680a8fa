/**
 * Where recent sessions went against the weights, as inline SVG bars. Per node, the share of the last placements
 * it received beside its share of the effective weight among the nodes that take part in the next pick (the
 * preview's decision: eligible, not ejected, not skipped by the CPU guard; ramping nodes at their effective
 * weight). SWRR keeps the two together while the fleet stays put; a gap means a recent change, or a node that
 * left the rotation (down, ejected, draining, disabled, full, CPU-guarded).
 */
import type { FleetNode, Placement, PlacementDecision } from '@kurento-fleet/client/types';
import { el, formatShare, svg } from './dom';

const WIDTH = 640;
const LABEL = 96;
const VALUE = 56;
const BAR = 12;
const GROUP = 2 * BAR + 14;
const TOP = 4;

/** One bar pair: a node (or, with `id` null, the nodes deleted since their placements). */
interface ShareRow {
  id: string | null;
  eligible: boolean;
  count: number;
  placed: number;
  weighted: number;
}

/**
 * Per node: its share of the placements and of the eligible weight; then, if some placements went to nodes
 * deleted since, one row for them, so that the placement bars still add up to the whole.
 */
function shares(nodes: FleetNode[], placements: Placement[], decision: PlacementDecision | null): ShareRow[] {
  const counts = new Map<string, number>();
  for (const placement of placements) counts.set(placement.nodeId, (counts.get(placement.nodeId) ?? 0) + 1);
  const taking = new Map((decision?.eligible ?? []).map((entry) => [entry.id, entry.effectiveWeight]));
  const takingWeight = [...taking.values()].reduce((sum, weight) => sum + weight, 0);
  const placed = (count: number) => (placements.length ? count / placements.length : 0);
  const rows: ShareRow[] = nodes.map((node) => {
    const count = counts.get(node.id) ?? 0;
    counts.delete(node.id);
    const weight = taking.get(node.id);
    return {
      id: node.id,
      eligible: weight !== undefined,
      count,
      placed: placed(count),
      weighted: weight !== undefined && takingWeight ? weight / takingWeight : 0,
    };
  });
  const removed = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (removed) rows.push({ id: null, eligible: false, count: removed, placed: placed(removed), weighted: 0 });
  return rows;
}

const shorten = (text: string) => (text.length > 13 ? `${text.slice(0, 12)}…` : text);

let lastKey = '';

/** Draws the chart into the figure; skipped when nothing it shows has changed since the last call. */
export function renderChart(
  figure: HTMLElement,
  nodes: FleetNode[],
  placements: Placement[],
  decision: PlacementDecision | null,
): void {
  const rows = shares(nodes, placements, decision);
  const key = JSON.stringify([rows, placements.length]);
  if (key === lastKey && figure.firstChild) return;
  lastKey = key;
  const total = placements.length;
  const weights = 'each node’s share of the effective weight among the nodes in rotation now';
  let captionText = total
    ? `Share of the last ${total} placements (solid) against ${weights} (outline).`
    : `No placements yet. Outlined: ${weights}.`;
  if (!rows.some((row) => row.eligible)) {
    captionText = `${total ? `Share of the last ${total} placements.` : 'No placements yet.'} No node is eligible for new sessions now.`;
  }
  const caption = el('figcaption', { id: 'chart-caption' }, captionText);
  const scale = WIDTH - LABEL - VALUE;
  const height = TOP + rows.length * GROUP;
  const groups = rows.map((row, index) => {
    const y = TOP + index * GROUP;
    const name = row.id === null ? 'removed nodes' : row.id;
    const bar = (kind: string, share: number, offset: number, title: string, label = formatShare(share)) =>
      svg(
        'g',
        {},
        svg(
          'rect',
          { class: `bar bar-${kind}`, x: LABEL, y: y + offset, width: share * scale, height: BAR, rx: 2 },
          svg('title', {}, title),
        ),
        svg('text', { class: 'bar-value', x: LABEL + share * scale + 6, y: y + offset + BAR - 2 }, label),
      );
    return svg(
      'g',
      { class: row.id === null ? 'bar-group removed' : 'bar-group', 'data-node': row.id },
      // The full id as the group's tooltip: the label is shortened to fit its column.
      svg('title', {}, name),
      svg('text', { class: 'bar-label', x: LABEL - 8, y: y + BAR + 4, 'text-anchor': 'end' }, shorten(name)),
      bar('placed', row.placed, 0, `${name}: ${row.count} of the last ${total} placements`),
      row.id === null
        ? null
        : row.eligible
          ? bar(
              'weight',
              row.weighted,
              BAR + 2,
              `${name}: ${formatShare(row.weighted)} of the eligible weight`,
            )
          : bar('weight', 0, BAR + 2, `${name} is not eligible for new sessions`, 'not eligible'),
    );
  });
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': 'chart-caption',
      class: 'chart-svg',
    },
    svg('line', { class: 'axis', x1: LABEL, x2: LABEL, y1: 0, y2: height }),
    ...groups,
  );
  const legend = el(
    'p',
    { class: 'legend' },
    el('span', { class: 'swatch swatch-placed' }),
    'placements',
    el('span', { class: 'swatch swatch-weight' }),
    'weight share',
  );
  figure.replaceChildren(chart, legend, caption);
}
