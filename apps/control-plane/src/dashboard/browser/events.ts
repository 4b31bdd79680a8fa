/** The list of recent events (GET /v1/events). */
import { describeEvent } from '@kurento-fleet/client/events';
import type { FleetEvent } from '@kurento-fleet/client/types';
import { el, formatTime } from './dom';

/** Replaces the list's items with the given events, newest first. */
export function renderEvents(list: HTMLElement, empty: HTMLElement, events: FleetEvent[]): void {
  list.replaceChildren(
    ...events.map((event) =>
      el(
        'li',
        {},
        el('time', { datetime: event.at, title: event.at }, formatTime(event.at)),
        el('span', { class: 'event-node' }, event.nodeId ?? event.sessionId ?? ''),
        el('span', { class: `badge event-${event.type.replace('.', '-')}` }, event.type),
        el('span', { class: 'event-reason' }, describeEvent(event)),
      ),
    ),
  );
  empty.hidden = events.length > 0;
}
