import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWebhookSignature } from '@kurento-fleet/client';
import type { CreatedWebhook } from '@kurento-fleet/contract';
import { startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { waitUntil } from './support/processes';
import { tempDir } from './support/temp-dir';
import { quickWebhookEnv } from './support/webhook-settings';

/**
 * Webhook signing secrets sealed at rest with FLEET_SECRETS_KEY, by the real control plane process on both
 * runtimes: the database holds no usable secret, deliveries are signed with the secret shown at creation,
 * secrets stored before the key are sealed at the next start, and without the right key nothing is delivered
 * (the events wait) and the log says why.
 */

const running: ControlPlane[] = [];
const receivers: WebhookReceiver[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.kill();
  for (const receiver of receivers.splice(0)) await receiver.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

const newKey = () => randomBytes(32).toString('base64');

/** The stored secrets, read from the database file itself (on start:edge, the D1 database's SQLite file). */
function storedSecrets(path: string, runtime: Runtime): string[] {
  const file = runtime === 'node' ? `${path}/fleet.db` : findSqlite(join(path, 'd1'));
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT secret FROM webhooks ORDER BY created_at').all() as { secret: string }[]).map(
      (row) => row.secret,
    );
  } finally {
    db.close();
  }
}

function findSqlite(dir: string): string {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.sqlite')) return join(entry.parentPath, entry.name);
  }
  throw new Error(`no SQLite file under ${dir}`);
}

const logged = (cp: ControlPlane, message: string) => cp.logs.filter((line) => line.message === message);

describe.each(['node', 'edge'] as Runtime[])('webhook secrets on the %s runtime', (runtime) => {
  const start = async (path: string, key: string | undefined) => {
    const cp = await startControlPlane(
      { ...quickWebhookEnv(path), ...(key === undefined ? {} : { FLEET_SECRETS_KEY: key }) },
      runtime,
    );
    running.push(cp);
    return cp;
  };
  const setUp = async () => {
    const made = tempDir('fleet-secrets-');
    dirs.push(made);
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    return { path: made.path, receiver };
  };
  const delivered = (r: WebhookReceiver, sessionId: string) =>
    r.waitFor(
      (received) => received.some((d) => d.status === 200 && d.body.includes(`"sessionId":"${sessionId}"`)),
      20_000,
      `the events of ${sessionId}`,
    );

  it('seals the secret at rest and signs with it; without the key the events wait, named in the log, and the key back delivers them', async () => {
    const { path, receiver } = await setUp();
    const key = newKey();
    let cp = await start(path, key);
    const { body: created } = await cp.request<CreatedWebhook>('POST', '/v1/webhooks', { url: receiver.url });
    const [stored] = storedSecrets(path, runtime);
    expect(stored).toMatch(/^sealed:v1:/);
    expect(stored).not.toContain(created.secret.slice('whsec_'.length));
    await addUpNodes(cp, { a: 1 });
    await placeInOrder(cp, ['first']);
    await delivered(receiver, 'first');
    expect(await cp.stop()).toBe(0);

    cp = await start(path, undefined);
    await placeInOrder(cp, ['while-keyless']);
    await waitUntil(
      async () => logged(cp, 'webhook not delivered: its signing secret cannot be opened').length > 0,
      20_000,
      'the log line naming the missing key',
    );
    expect(
      String(logged(cp, 'webhook not delivered: its signing secret cannot be opened')[0]?.error),
    ).toContain('no FLEET_SECRETS_KEY is configured');
    expect(receiver.received.some((d) => d.body.includes('while-keyless'))).toBe(false);
    expect(await cp.stop()).toBe(0);

    cp = await start(path, newKey());
    await placeInOrder(cp, ['wrong-key']);
    await waitUntil(
      async () =>
        logged(cp, 'webhook not delivered: its signing secret cannot be opened').some((line) =>
          String(line.error).includes('does not open with this FLEET_SECRETS_KEY'),
        ),
      20_000,
      'the log line naming a wrong key',
    );
    expect(await cp.stop()).toBe(0);

    cp = await start(path, key);
    await delivered(receiver, 'wrong-key');
    for (const delivery of receiver.received)
      expect(await verifyWebhookSignature(created.secret, delivery.headers, delivery.body)).toBe(true);
    expect(receiver.received.some((d) => d.body.includes('while-keyless'))).toBe(true);
  }, 120_000);

  it('seals the secrets stored before the key was set at the next start, and keeps signing with them', async () => {
    const { path, receiver } = await setUp();
    let cp = await start(path, undefined);
    const { body: created } = await cp.request<CreatedWebhook>('POST', '/v1/webhooks', { url: receiver.url });
    expect(storedSecrets(path, runtime)).toEqual([created.secret]);
    expect(await cp.stop()).toBe(0);

    cp = await start(path, newKey());
    await waitUntil(
      async () => logged(cp, 'sealed the webhook secrets stored before FLEET_SECRETS_KEY was set').length > 0,
      20_000,
      'the sealing at start',
    );
    expect(storedSecrets(path, runtime)[0]).toMatch(/^sealed:v1:/);
    await addUpNodes(cp, { a: 1 });
    await placeInOrder(cp, ['after-sealing']);
    await delivered(receiver, 'after-sealing');
    for (const delivery of receiver.received)
      expect(await verifyWebhookSignature(created.secret, delivery.headers, delivery.body)).toBe(true);
  }, 120_000);
});
