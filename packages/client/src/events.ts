import type { FleetEvent } from './types';

/**
 * One line saying what an event means, for people: the CLI's table and the dashboard's feed print it, so the
 * wording of each event type lives here once.
 */
export function describeEvent(event: FleetEvent): string {
  const data = event.data as {
    reason?: string;
    sessions?: string[];
    from?: string;
    to?: string;
    why?: string;
    ejectedUntil?: string | null;
    forced?: boolean;
  };
  switch (event.type) {
    case 'node.down':
      return `${data.reason ?? 'down'}${data.sessions?.length ? ` (${data.sessions.length} sessions on it)` : ''}`;
    case 'node.ejected':
      return data.ejectedUntil
        ? `${data.reason}: ejected until ${data.ejectedUntil}`
        : `${data.reason}: ${data.why}`;
    case 'session.placed':
      return data.forced ? 'placed (forced)' : 'placed';
    case 'session.moved':
      return `moved from ${data.from} to ${data.to}`;
    case 'session.renamed':
      return `renamed from ${data.from}`;
    case 'session.released':
      return data.reason ? `released: ${data.reason}` : 'released';
    default:
      return data.reason ?? '';
  }
}
