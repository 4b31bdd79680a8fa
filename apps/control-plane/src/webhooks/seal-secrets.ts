import { type FleetDb, sealStoredSecrets } from '@kurento-fleet/db';
import type { Logger } from '@kurento-fleet/log';

/**
 * Seals the webhook secrets stored before FLEET_SECRETS_KEY was set: at every start (Node, start:edge) and in
 * the Worker's cron, so that turning the key on protects the webhooks that already exist.
 */
export async function sealWebhookSecrets(db: FleetDb, log: Logger): Promise<void> {
  const sealed = await sealStoredSecrets(db);
  if (sealed > 0) log.info('sealed the webhook secrets stored before FLEET_SECRETS_KEY was set', { sealed });
}
