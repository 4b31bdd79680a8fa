/** The live event feed's list (GET /v1/events, then the stream). */
import { describeEvent } from '@kurento-fleet/client/events';
import type { FleetEvent } from '@kurento-fleet/client/types';
import { el, formatTime } from './dom';

/** What an event is about: its session for session events, else its node. */
const subject = (event: FleetEvent) =>
  (event.type.startsWith('session.') ? event.sessionId : event.nodeId) ?? event.nodeId ?? '';

/** The event in words; a placement or a release also names the node, which the subject column does not. */
function what(event: FleetEvent): string {
  const text = describeEvent(event);
  if (event.type === 'session.placed') return `${text} on ${event.nodeId}`;
  if (event.type === 'session.released') return `${text} from ${event.nodeId}`;
  return text;
}

/** Replaces the list's items with the given events, newest first. */
export function renderEvents(list: HTMLElement, empty: HTMLElement, events: FleetEvent[]): void {
  list.replaceChildren(
    ...events.map((event) =>
      el(
        'li',
        { 'data-event': event.id },
        el('time', { datetime: event.at, title: event.at }, formatTime(event.at)),
        el('span', { class: 'event-subject', title: subject(event) }, subject(event)),
        el('span', { class: `badge event-${event.type.replace('.', '-')}` }, event.type),
        el('span', { class: 'event-reason' }, what(event)),
      ),
    ),
  );
  empty.hidden = events.length > 0;
}
