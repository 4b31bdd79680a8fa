import type { Room } from './application';

/** A room lost with its KMS and opened again by the application. */
export interface Recreation {
  room: Room;
  lostAt: number;
  /** Where its new pipeline went; unset until it is open (or if it could not be opened). */
  nodeId?: string | undefined;
  doneAt?: number;
}

/** `850 ms`, `1.25 s`. */
export const duration = (ms: number) =>
  ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`;

const range = (values: readonly number[]) =>
  values.length === 0
    ? '–'
    : Math.max(...values) - Math.min(...values) < 10
      ? duration(Math.min(...values))
      : `${duration(Math.min(...values))}–${duration(Math.max(...values))}`;

/** How the application learnt that its rooms were gone: by the pipeline's Error event, or while building one. */
export function describeLoss(recreations: readonly Recreation[], killedAt: number): string {
  const byEvent = recreations.filter((r) => r.room.lost?.how === 'event');
  const whileBuilt = recreations.length - byEvent.length;
  const kinds = [...new Set(byEvent.map((r) => r.room.lost?.detail))].join('; ');
  return (
    `⚠ ${recreations.length} rooms lost with the KMS: ${byEvent.length} by their pipeline's Error event through ` +
    `the gateway (${kinds || 'none'}), ${range(byEvent.map((r) => r.lostAt - killedAt))} after the kill` +
    (whileBuilt ? `; ${whileBuilt} while being built (a call failed)` : '')
  );
}

/** Where the lost rooms went when the application opened them again, and how fast. */
export function describeRecreation(
  recreations: readonly Recreation[],
  killedAt: number,
  atOnce: number,
): string {
  const done = recreations.filter((r) => r.nodeId !== undefined && r.doneAt !== undefined);
  const where: Record<string, number> = {};
  for (const r of done) where[r.nodeId as string] = (where[r.nodeId as string] ?? 0) + 1;
  const places = Object.entries(where)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, count]) => `${id} ${count}`)
    .join(', ');
  const first = Math.min(...recreations.map((r) => r.lostAt));
  const last = Math.max(killedAt, ...done.map((r) => r.doneAt ?? 0));
  const missing = recreations.length - done.length;
  return (
    `opened the ${done.length} lost rooms again (a new pipeline and WebRtcEndpoint each, ${atOnce} at a time) ` +
    `→ ${places || 'nowhere'}, in ${duration(last - first)} from the first loss, the last ${duration(last - killedAt)} after the kill` +
    (missing ? `; ${missing} could not be opened` : '')
  );
}
