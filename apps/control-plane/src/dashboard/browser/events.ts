/** Browser module `events.js`: the list of recent health transitions (GET /v1/events). */
export const eventsModule = `
import { el, formatTime } from './dom.js';

/** Replaces the list's items with the given events, newest first. */
export function renderEvents(list, empty, events) {
  list.replaceChildren(
    ...events.map((event) =>
      el(
        'li',
        {},
        el('time', { datetime: event.at, title: event.at }, formatTime(event.at)),
        el('span', { class: 'event-node' }, event.nodeId),
        el('span', { class: 'badge event-' + event.type }, event.type),
        el('span', { class: 'event-reason' }, event.reason || ''),
      ),
    ),
  );
  empty.hidden = events.length > 0;
}
`;
