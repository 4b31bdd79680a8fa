import type { CreateWebhookInput, EventType, Webhook, WebhookDelivery } from '@kurento-fleet/contract';
import { defineStatement, type Row } from './client';
import { FleetError } from './errors';
import { type FleetDb, secretsOf } from './fleet-db';
import { SEALED_PREFIX } from './secret-box';
import { issueWebhookSecret } from './secrets';
import { iso } from './views';

// `after_seq` is the newest event when the webhook is made, in the same statement: it gets events from then on.
const insertWebhook = defineStatement<'id' | 'url' | 'types' | 'description' | 'secret' | 'now'>(`
  INSERT INTO webhooks (id, url, types, description, secret, created_at, after_seq)
  VALUES (:id, :url, :types, :description, :secret, :now, (SELECT COALESCE(MAX(seq), 0) FROM events))
  RETURNING *`);

const selectWebhooks = defineStatement('SELECT * FROM webhooks ORDER BY created_at, rowid');
const selectWebhook = defineStatement<'id'>('SELECT id FROM webhooks WHERE id = :id');
// Its delivery log goes with it (ON DELETE CASCADE); a delivery in flight then records nothing (its lease is gone).
const deleteById = defineStatement<'id'>('DELETE FROM webhooks WHERE id = :id RETURNING id');

export function toWebhookView(row: Row): Webhook {
  return {
    id: String(row.id),
    url: String(row.url),
    types: row.types == null ? null : (JSON.parse(String(row.types)) as EventType[]),
    description: row.description == null ? null : String(row.description),
    createdAt: iso(Number(row.created_at)),
    delivery: {
      afterEventId: String(row.after_seq),
      failures: Number(row.failures),
      retryAt: row.retry_at == null ? null : iso(Number(row.retry_at)),
    },
  };
}

/** Creates a webhook; its signing secret is returned this once. */
export async function createWebhook(
  db: FleetDb,
  input: CreateWebhookInput,
): Promise<{ webhook: Webhook; secret: string }> {
  const { id, secret } = issueWebhookSecret();
  const stored = await secretsOf(db).seal(secret, id);
  const [rows] = await db.client.batch([
    insertWebhook({
      id,
      url: input.url,
      // Deduplicated and sorted: the stored filter reads the same whatever order the request gave.
      types: input.types === undefined ? null : JSON.stringify([...new Set(input.types)].sort()),
      description: input.description ?? null,
      secret: stored,
      now: db.now(),
    }),
  ]);
  return { webhook: toWebhookView(rows?.[0] as Row), secret };
}

export async function listWebhooks(db: FleetDb): Promise<Webhook[]> {
  return (await db.client.query(selectWebhooks({}))).map(toWebhookView);
}

export async function deleteWebhook(db: FleetDb, id: string): Promise<void> {
  const [deleted] = await db.client.batch([deleteById({ id })]);
  if (!deleted?.length) throw new FleetError('NOT_FOUND', `Webhook '${id}' does not exist.`);
}

const selectDeliveries = defineStatement<'id' | 'limit'>(`
  SELECT * FROM webhook_deliveries WHERE webhook_id = :id ORDER BY event_seq DESC LIMIT :limit`);

/** A webhook's newest deliveries first: the events it attempted, or failed without an attempt. */
export async function listDeliveries(db: FleetDb, id: string, limit: number): Promise<WebhookDelivery[]> {
  const [exists] = await db.client.query(selectWebhook({ id }));
  if (!exists) throw new FleetError('NOT_FOUND', `Webhook '${id}' does not exist.`);
  const rows = await db.client.query(selectDeliveries({ id, limit }));
  return rows.map((row) => ({
    eventId: String(row.event_seq),
    type: row.type as EventType,
    status: row.status as WebhookDelivery['status'],
    attempts: Number(row.attempts),
    lastStatus: row.last_status == null ? null : Number(row.last_status),
    lastError: row.last_error == null ? null : String(row.last_error),
    deliveredAt: row.delivered_at == null ? null : iso(Number(row.delivered_at)),
    updatedAt: iso(Number(row.updated_at)),
  }));
}

const unsealedSecrets = defineStatement<'prefix'>(
  'SELECT id, secret FROM webhooks WHERE substr(secret, 1, length(:prefix)) <> :prefix',
);
const sealSecret = defineStatement<'id' | 'plain' | 'sealed'>(
  'UPDATE webhooks SET secret = :sealed WHERE id = :id AND secret = :plain',
);

/**
 * Seals the secrets stored before a key was configured, so that turning FLEET_SECRETS_KEY on protects every
 * webhook from the next start (or cron) on; returns how many. Each row is sealed only if it still holds what was
 * read, so a replica doing the same at the same time changes nothing twice. Without a key: nothing.
 */
export async function sealStoredSecrets(db: FleetDb): Promise<number> {
  const box = secretsOf(db);
  if (!box.sealing) return 0;
  const rows = await db.client.query(unsealedSecrets({ prefix: SEALED_PREFIX }));
  if (rows.length === 0) return 0;
  const updates = await Promise.all(
    rows.map(async (row) => {
      const id = String(row.id);
      const plain = String(row.secret);
      return sealSecret({ id, plain, sealed: await box.seal(plain, id) });
    }),
  );
  await db.client.batch(updates);
  return rows.length;
}
