import { defineStatement } from './client';
import { type EventRow, ofTypes, oldestFirst } from './events';
import type { FleetDb } from './fleet-db';
import { rowsAs } from './rows';

/**
 * The delivery state of webhooks, as the dispatcher of every replica reads and writes it. A process delivers a
 * webhook's events only while it holds that webhook's lease (taken by one conditional UPDATE, so two replicas
 * never both get it), one event at a time, in `seq` order; every outcome is recorded under the lease, so a
 * process that lost it records nothing and the next holder delivers the event again (at least once).
 */

/** How deliveries are retried; the contract's values by default, shorter in tests (FLEET_WEBHOOK_*). */
export interface DeliverySettings {
  /** The wait after a first failed attempt; it doubles with each further failure in a row. */
  backoffMs: number;
  /** The longest wait between attempts. */
  maxBackoffMs: number;
  /** An attempt that has no 2xx answer within this failed. */
  timeoutMs: number;
  /** An event is retried until this long after it happened; then it is failed. */
  retryWindowMs: number;
}

export const defaultDeliverySettings: DeliverySettings = {
  backoffMs: 1000,
  maxBackoffMs: 10 * 60_000,
  timeoutMs: 10_000,
  retryWindowMs: 24 * 3_600_000,
};

/**
 * How long a lease lasts: three attempts' time. The holder renews it before each attempt whenever less than two
 * attempts' time is left, so an attempt (bounded by its timeout) always ends inside the lease, with a margin of
 * one attempt's time for clock differences between replicas and a busy event loop. A holder that died (SIGKILL)
 * keeps its webhooks for at most this long.
 */
export const leaseMs = (settings: DeliverySettings) => 3 * settings.timeoutMs;

const pending = defineStatement<'owner' | 'now'>(`
  SELECT w.id, w.retry_at,
    CASE WHEN w.lease_owner <> :owner AND w.lease_until > :now THEN w.lease_until END AS leased_until
  FROM webhooks w
  WHERE EXISTS (SELECT 1 FROM events e WHERE e.seq > w.after_seq AND ${ofTypes('w.types', 'e')})`);

/** A webhook with events to deliver, and when this process may start on it. */
export interface PendingWebhook {
  id: string;
  /** The first instant an attempt is allowed: now, the end of its backoff, or when another holder's lease ends. */
  startAt: number;
}

/** Every webhook that has events to deliver, with when this process (`owner`) may start on it. */
export async function pendingWebhooks(db: FleetDb, owner: string, now: number): Promise<PendingWebhook[]> {
  const rows = await db.client.query(pending({ owner, now }));
  return rows.map((row) => ({
    id: String(row.id),
    startAt: Math.max(now, Number(row.retry_at ?? 0), Number(row.leased_until ?? 0)),
  }));
}

type LeaseParams = 'id' | 'owner' | 'now' | 'lease';

const take = defineStatement<LeaseParams>(`
  UPDATE webhooks SET lease_owner = :owner, lease_until = :now + :lease
  WHERE id = :id AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until <= :now)
    AND (retry_at IS NULL OR retry_at <= :now)
  RETURNING id, url, types, secret, after_seq`);

const renew = defineStatement<LeaseParams>(`
  UPDATE webhooks SET lease_until = :now + :lease WHERE id = :id AND lease_owner = :owner RETURNING lease_until`);

const release = defineStatement<'id' | 'owner'>(`
  UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner`);

/** What the lease holder needs to deliver a webhook's events. */
export interface LeasedWebhook {
  id: string;
  url: string;
  /** The stored JSON filter, passed back to nextEvents as it is. */
  types: string | null;
  secret: string;
  afterSeq: number;
  /** The lease ends then (epoch ms, the holder's clock). */
  leaseUntil: number;
}

/** Takes the webhook's lease for `owner`, or returns null: another process holds it, or its backoff runs. */
export async function takeLease(
  db: FleetDb,
  id: string,
  owner: string,
  settings: DeliverySettings,
): Promise<LeasedWebhook | null> {
  const now = db.now();
  const lease = leaseMs(settings);
  const [rows] = await db.client.batch([take({ id, owner, now, lease })]);
  const row = rows?.[0];
  if (!row) return null;
  return {
    id,
    url: String(row.url),
    types: row.types == null ? null : String(row.types),
    secret: String(row.secret),
    afterSeq: Number(row.after_seq),
    leaseUntil: now + lease,
  };
}

/** Extends the lease; false when it was lost (another process took it after it ran out, or it was deleted). */
export async function renewLease(
  db: FleetDb,
  webhook: LeasedWebhook,
  owner: string,
  settings: DeliverySettings,
): Promise<boolean> {
  const now = db.now();
  const [rows] = await db.client.batch([renew({ id: webhook.id, owner, now, lease: leaseMs(settings) })]);
  if (!rows?.length) return false;
  webhook.leaseUntil = now + leaseMs(settings);
  return true;
}

export async function releaseLease(db: FleetDb, id: string, owner: string): Promise<void> {
  await db.client.batch([release({ id, owner })]);
}

/** The webhook's next events to deliver, oldest first. */
export async function nextEvents(db: FleetDb, webhook: LeasedWebhook, limit: number): Promise<EventRow[]> {
  return rowsAs<EventRow>(
    await db.client.query(oldestFirst({ node: null, after: webhook.afterSeq, types: webhook.types, limit })),
  );
}

type OutcomeParams = 'id' | 'owner' | 'seq' | 'type' | 'status' | 'http' | 'error' | 'now';

// One log row per event and webhook: the first attempt inserts it, each further one counts in it. Written only
// while `owner` holds the lease: a process that lost it leaves the event to the next holder.
const logAttempt = defineStatement<OutcomeParams>(`
  INSERT INTO webhook_deliveries
    (webhook_id, event_seq, type, status, attempts, last_status, last_error, delivered_at, updated_at)
  SELECT id, :seq, :type, :status, 1, :http, :error, CASE WHEN :status = 'delivered' THEN :now END, :now
  FROM webhooks WHERE id = :id AND lease_owner = :owner
  ON CONFLICT (webhook_id, event_seq) DO UPDATE SET status = excluded.status, attempts = attempts + 1,
    last_status = excluded.last_status, last_error = excluded.last_error, delivered_at = excluded.delivered_at,
    updated_at = excluded.updated_at`);

const markDelivered = defineStatement<'id' | 'owner' | 'seq'>(`
  UPDATE webhooks SET after_seq = MAX(after_seq, :seq), failures = 0, retry_at = NULL
  WHERE id = :id AND lease_owner = :owner RETURNING id`);

/** The wait after this failure: the backoff doubles with each failure in a row (`failures` before this one). */
const backoff = 'MIN(:base * (1 << MIN(failures, 40)), :max)';

// Within the event's window: wait, and hand the lease back so that whichever replica is first may retry.
const scheduleRetry = defineStatement<'id' | 'owner' | 'now' | 'base' | 'max' | 'deadline'>(`
  UPDATE webhooks SET failures = failures + 1, retry_at = MIN(:now + ${backoff}, :deadline),
    lease_owner = NULL, lease_until = NULL
  WHERE id = :id AND lease_owner = :owner`);

/**
 * The first event after the failed one that is still inside its window, or one past the newest event: the
 * events between were held behind the failed one for their whole window, and fail with it.
 */
const stillInWindow = `COALESCE(
  (SELECT MIN(l.seq) FROM events l WHERE l.seq > :seq AND ${ofTypes(':types', 'l')} AND l.at + :window > :now),
  (SELECT MAX(seq) FROM events) + 1)`;

type ExpireParams = 'id' | 'owner' | 'seq' | 'types' | 'window' | 'now';

const failHeldBack = defineStatement<ExpireParams | 'error'>(`
  INSERT INTO webhook_deliveries
    (webhook_id, event_seq, type, status, attempts, last_status, last_error, delivered_at, updated_at)
  SELECT w.id, e.seq, e.type, 'failed', 0, NULL, :error, NULL, :now
  FROM webhooks w JOIN events e ON e.seq > :seq AND e.seq < ${stillInWindow} AND ${ofTypes(':types', 'e')}
  WHERE w.id = :id AND w.lease_owner = :owner
  ON CONFLICT (webhook_id, event_seq) DO UPDATE SET status = 'failed', last_error = excluded.last_error,
    updated_at = excluded.updated_at`);

const skipFailed = defineStatement<ExpireParams | 'base' | 'max'>(`
  UPDATE webhooks SET after_seq = MAX(after_seq, ${stillInWindow} - 1), failures = failures + 1,
    retry_at = :now + ${backoff}, lease_owner = NULL, lease_until = NULL
  WHERE id = :id AND lease_owner = :owner`);

/** What one attempt gave: a 2xx, or why not (`http`: the status, if an answer came). */
export type AttemptOutcome = { ok: true; http: number } | { ok: false; http: number | null; error: string };

/**
 * Records an attempt at `event` (a row of nextEvents) made under the lease, and returns whether the holder goes
 * on to the next event: only when it was delivered and recorded. Failed inside the event's window: retried after
 * the backoff, and the lease is handed back. Failed past it: the event fails, and so does every later one whose
 * window has ended too. A holder that lost its lease records nothing.
 */
export async function recordAttempt(
  db: FleetDb,
  webhook: LeasedWebhook,
  owner: string,
  event: EventRow,
  outcome: AttemptOutcome,
  settings: DeliverySettings,
): Promise<boolean> {
  const now = db.now();
  const seq = Number(event.seq);
  const deadline = Number(event.at) + settings.retryWindowMs;
  const expired = !outcome.ok && now >= deadline;
  const id = webhook.id;
  const base = { id, owner, seq, now };
  const log = logAttempt({
    ...base,
    type: String(event.type),
    status: outcome.ok ? 'delivered' : expired ? 'failed' : 'retrying',
    http: outcome.http,
    error: outcome.ok ? null : outcome.error.slice(0, 500),
  });
  const limits = { base: settings.backoffMs, max: settings.maxBackoffMs };
  if (outcome.ok) {
    const [, moved] = await db.client.batch([log, markDelivered(base)]);
    if (!moved?.length) return false;
    webhook.afterSeq = seq;
    return true;
  }
  if (!expired) {
    await db.client.batch([log, scheduleRetry({ id, owner, now, deadline, ...limits })]);
    return false;
  }
  const window = { ...base, types: webhook.types, window: settings.retryWindowMs };
  const error = `not attempted: held behind event ${seq}, which failed at the end of its ${settings.retryWindowMs} ms window`;
  await db.client.batch([log, failHeldBack({ ...window, error }), skipFailed({ ...window, ...limits })]);
  return false;
}

/**
 * Moves every webhook that waits for no event past the events it does not want (housekeeping), so that a
 * webhook of rare types neither rescans the same events nor holds back the retention of the others.
 */
export const skipUnwanted = defineStatement(`
  UPDATE webhooks SET after_seq = (SELECT MAX(seq) FROM events)
  WHERE after_seq < (SELECT MAX(seq) FROM events)
    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.seq > webhooks.after_seq AND ${ofTypes('webhooks.types', 'e')})`);
