import { defineStatement } from './client';
import type { FleetDb } from './fleet-db';

/** How long events are kept by default: a week of history for `GET /v1/events` and stream resumption. */
export const defaultEventRetentionMs = 7 * 24 * 3_600_000;

/** Rows one sweep deletes at most, so that a sweep after a long pause stays a short transaction. */
const trimBatch = 10_000;

/**
 * The retention rule of the outbox: an event goes once it is older than the retention AND every webhook is past
 * it (delivered, failed, or not of its types), so no event a webhook still owes is ever dropped.
 *
 * Why the table stays bounded: a webhook moves past every event within the retry window (24 h) of when it
 * happened, whatever its receiver does, as long as some process delivers. A 2xx moves it on at once; a failing
 * head event is failed at the end of its window together with every later event whose window has ended too;
 * events of other types are skipped by the sweep (skipUnwanted). So the table holds at most
 * max(retention, retry window) of events, plus whatever a receiver that accepts more slowly than events arrive
 * has not taken yet. The delivery log is trimmed by the same age once its rows are finished.
 *
 * The cost, every sweep: events go oldest first, up to the first one that must stay, found by walking `seq` (the
 * primary key) from the oldest, so a sweep with nothing to delete reads one row, not the table (`at` has no
 * index; it follows `seq` closely, and an event back-dated by a timeout just waits for the one before it).
 */
export const trimEvents = defineStatement<'cutoff'>(`
  DELETE FROM events WHERE seq < MIN(
    COALESCE(
      (SELECT seq FROM events
        WHERE at >= :cutoff OR seq > COALESCE((SELECT MIN(after_seq) FROM webhooks), (SELECT MAX(seq) FROM events))
        ORDER BY seq LIMIT 1),
      (SELECT MAX(seq) FROM events) + 1),
    (SELECT MIN(seq) FROM events) + ${trimBatch})`);

export const trimDeliveries = defineStatement<'cutoff'>(`
  DELETE FROM webhook_deliveries WHERE rowid IN (
    SELECT rowid FROM webhook_deliveries WHERE updated_at < :cutoff AND status <> 'retrying' LIMIT ${trimBatch})`);

/** The oldest instant an event or a finished delivery is kept from, now. */
export const retentionCutoff = (db: FleetDb, now: number) =>
  now - (db.eventRetentionMs ?? defaultEventRetentionMs);
