/**
 * The next placements (GET /v1/placements/preview, a dry run) and the policy that shapes them
 * (GET /v1/placement-policy): where the next new sessions would go if they arrived now.
 */
import type { PlacementPolicy, PlacementPreview } from '@kurento-fleet/client/types';
import { el } from './dom';

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The policy in one line: what an operator checks before reading the picks. */
export function policySummary(policy: PlacementPolicy): string {
  return [
    policy.maxCpuPercent >= 100 ? 'CPU guard off' : `CPU guard at ${policy.maxCpuPercent} % per core`,
    policy.slowStartMs > 0 ? `slow start over ${seconds(policy.slowStartMs)}` : 'slow start off',
    `ejection ${seconds(policy.ejectionMs)}, doubling up to ${seconds(policy.maxEjectionMs)}`,
    `at most ${policy.maxEjectedPercent} % of the weight ejected`,
  ].join(' · ');
}

/** Shows the next picks as a row of node ids, and the policy below them. */
export function renderPreview(
  list: HTMLElement,
  caption: HTMLElement,
  preview: PlacementPreview,
  policy: PlacementPolicy | null,
): void {
  list.replaceChildren(
    ...preview.nodeIds.map((id, index) =>
      el('li', { class: 'pick', 'data-node': id, title: `new session ${index + 1}: ${id}` }, id),
    ),
  );
  const picks = preview.nodeIds.length
    ? `The next ${preview.nodeIds.length} new sessions, in order, if they arrived now.`
    : 'No node can take a new session now.';
  caption.textContent = policy ? `${picks} ${policySummary(policy)}.` : picks;
}
