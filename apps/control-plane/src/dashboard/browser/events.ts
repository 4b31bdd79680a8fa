/** The list of recent health transitions (GET /v1/events). */
import type { NodeEvent } from '@kurento-fleet/client/types';
import { el, formatTime } from './dom';

/** Replaces the list's items with the given events, newest first. */
export function renderEvents(list: HTMLElement, empty: HTMLElement, events: NodeEvent[]): void {
  list.replaceChildren(
    ...events.map((event) =>
      el(
        'li',
        {},
        el('time', { datetime: event.at, title: event.at }, formatTime(event.at)),
        el('span', { class: 'event-node' }, event.nodeId),
        el('span', { class: `badge event-${event.type}` }, event.type),
        el('span', { class: 'event-reason' }, event.reason || ''),
      ),
    ),
  );
  empty.hidden = events.length > 0;
}
