/**
 * A node's place in the rotation, as the next new session would find it: taking part (ramping up under slow
 * start, or at its full weight), or skipped and why, with the figure that decides it: until when it is
 * ejected and the failure an application reported, its CPU against the guard's limit, how many sessions a
 * draining node still holds.
 */
import type { FleetEvent, FleetNode, PlacementDecision, PlacementPolicy } from '@kurento-fleet/client/types';
import { el, formatTime } from './dom';

/** What the rotation cells read besides the node itself, refreshed on every poll. */
export interface PolicyView {
  /** The decision the next placement would record (the preview's), or null before the first answer. */
  decision: PlacementDecision | null;
  policy: PlacementPolicy | null;
  /** The latest `node.ejected` that ejected each node (data.ejectedUntil set), and `node.drained`. */
  ejections: Map<string, FleetEvent>;
  drains: Map<string, FleetEvent>;
}

export const emptyPolicyView = (): PolicyView => ({
  decision: null,
  policy: null,
  ejections: new Map(),
  drains: new Map(),
});

/** The newest event of each node among `events` (newest first, as GET /v1/events lists them). */
export function latestByNode(
  events: FleetEvent[],
  keep: (event: FleetEvent) => boolean,
): Map<string, FleetEvent> {
  const latest = new Map<string, FleetEvent>();
  for (const event of events)
    if (event.nodeId !== null && !latest.has(event.nodeId) && keep(event)) latest.set(event.nodeId, event);
  return latest;
}

/** The CPU figure the guard compares with its limit: percent of all the KMS's cores. */
export const cpuLoad = (kms: NonNullable<FleetNode['kms']>) => kms.usedCpuPercent / kms.cpuCount;

const percent = (value: number) => `${value.toFixed(1)} %`;
const badge = (kind: string, label: string) => el('span', { class: `badge rot-${kind}` }, label);
const detail = (text: string) => el('span', { class: 'rot-detail' }, text);
/** The second line of a cell: a bar, a reason; `title` holds the whole text where it is cut. */
const note = (title: string | undefined, ...parts: Array<Node | string>) =>
  el('span', { class: 'rot-note', title }, ...parts);

const skipLabels: Record<string, string> = {
  down: 'down',
  disabled: 'disabled',
  full: 'full',
  weight0: 'weight 0',
};

/**
 * Fills a node's rotation cell. `drainPeak` is the most sessions the page saw on the node while it drained,
 * the base of its progress bar.
 */
export function renderRotation(
  cell: HTMLElement,
  node: FleetNode,
  view: PolicyView,
  drainPeak: number,
): void {
  cell.replaceChildren(...rotationContent(node, view, drainPeak));
}

function rotationContent(node: FleetNode, view: PolicyView, drainPeak: number): Node[] {
  if (node.state === 'draining') return drainContent(node, view, drainPeak);
  const { decision, policy } = view;
  if (!decision) return [detail('—')];
  const taking = decision.eligible.find((entry) => entry.id === node.id);
  if (taking) {
    if (taking.effectiveWeight >= taking.weight) return [badge('in', 'in rotation')];
    const ramp = policy?.slowStartMs ? ` over ${Math.round(policy.slowStartMs / 1000)} s` : '';
    const meter = el('meter', {
      min: 0,
      max: taking.weight,
      value: taking.effectiveWeight,
      class: 'ramp',
      title: `effective weight ${taking.effectiveWeight} of its weight ${taking.weight}`,
    });
    return [
      badge('ramping', 'ramping'),
      detail(`${taking.effectiveWeight} / ${taking.weight}`),
      note(undefined, meter, `slow start${ramp}`),
    ];
  }
  const why = decision.skipped.find((entry) => entry.id === node.id)?.why;
  if (why === 'ejected' && node.ejectedUntil) {
    const reason = view.ejections.get(node.id)?.data.reason;
    const parts = [badge('ejected', 'ejected'), detail(`until ${formatTime(node.ejectedUntil)}`)];
    return typeof reason === 'string' ? [...parts, note(reason, reason)] : parts;
  }
  if (why === 'cpu' && node.kms) {
    const limit = policy ? ` ≥ ${policy.maxCpuPercent} %` : '';
    return [badge('cpu', 'CPU guard'), detail(`${percent(cpuLoad(node.kms))}${limit}`)];
  }
  return why ? [badge('out', skipLabels[why] ?? why)] : [detail('—')];
}

function drainContent(node: FleetNode, view: PolicyView, peak: number): Node[] {
  const left = node.activeSessions;
  if (left === 0) {
    const drained = view.drains.get(node.id);
    return [
      badge('drained', 'drained'),
      detail(drained ? `at ${formatTime(drained.at)}` : 'no sessions left'),
    ];
  }
  const base = Math.max(peak, left);
  const done = el('progress', {
    max: base,
    value: base - left,
    class: 'drain',
    title: `${base - left} of ${base} gone`,
  });
  return [
    badge('draining', 'draining'),
    detail(`${left} ${left === 1 ? 'session' : 'sessions'} left${base > left ? ` of ${base}` : ''}`),
    note(undefined, done),
  ];
}
