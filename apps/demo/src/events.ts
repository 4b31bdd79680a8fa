import type { EventPage, FleetEvent } from '@kurento-fleet/contract';
import { waitUntil } from '@kurento-fleet/processes';
import type { DemoFleet } from './fleet';
import type { HealthEvent } from './report';

/** The node events the demo follows: the agents' health reports and the gateway's ejections. */
const types = ['node.up', 'node.down', 'node.restarted', 'node.ejected'] as const;

/** An event of `types` as the report reads it. */
function healthEvent(event: FleetEvent): HealthEvent {
  const data = event.data as { reason?: string; ejectedUntil?: string | null; why?: string };
  const type = event.type.slice('node.'.length) as HealthEvent['type'];
  return {
    nodeId: event.nodeId ?? '',
    at: Date.parse(event.at),
    type,
    reason: data.reason ?? null,
    ...(type === 'ejected'
      ? { until: data.ejectedUntil ? Date.parse(data.ejectedUntil) : null, why: data.why ?? '' }
      : {}),
  };
}

/** Follows GET /v1/events: the fleet's own record of health transitions, with the control plane's timestamps. */
export interface EventWatch {
  /** Every event seen, oldest first (those before the watch began included). */
  readonly all: HealthEvent[];
  /** Resolves with the first event (past or future) that matches; rejects after `timeoutMs`. */
  waitFor(match: (event: HealthEvent) => boolean, timeoutMs: number, what: string): Promise<HealthEvent>;
  stop(): Promise<void>;
}

/** Polls every `intervalMs`; `onNew` hears of each event that happens after the watch began, oldest first. */
export async function watchEvents(
  fleet: DemoFleet,
  onNew: (event: HealthEvent) => void,
  intervalMs = 100,
): Promise<EventWatch> {
  const seen = new Set<string>();
  const all: HealthEvent[] = [];
  const fetchNew = async () => {
    const { status, body } = await fleet.api<EventPage>(
      'GET',
      `/v1/events?limit=1000&types=${types.join(',')}`,
    );
    if (status !== 200) throw new Error(`GET /v1/events: ${status}`);
    const fresh = body.events
      .filter((event) => !seen.has(event.id))
      .reverse()
      .map((event) => {
        seen.add(event.id);
        return healthEvent(event);
      });
    all.push(...fresh);
    return fresh;
  };
  await fetchNew();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (stopped) break;
      // A failed poll is retried at the next tick: the control plane is busy, not gone.
      for (const event of await fetchNew().catch(() => [])) onNew(event);
    }
  })();
  return {
    all,
    async waitFor(match, timeoutMs, what) {
      await waitUntil(async () => all.some(match), timeoutMs, what);
      // `all` only grows: what matched is still there.
      return all.find(match) as HealthEvent;
    },
    async stop() {
      stopped = true;
      await loop;
      for (const event of await fetchNew()) onNew(event);
    },
  };
}
