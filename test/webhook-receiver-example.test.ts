import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhook } from '@kurento-fleet/client';
import type { CreatedWebhook, EventPage } from '@kurento-fleet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, repoRoot, startControlPlane } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { freePort, jsonLine, spawnTsx, type TsxProcess } from './support/processes';
import { tempDir } from './support/temp-dir';

/**
 * The README's webhook receiver is examples/webhook-receiver.mjs, word for word, and that file, run as its own
 * process, receives a real control plane's deliveries: it handles each event once, in order, rebuilds the rooms
 * of a node that went down, and refuses what was not signed with its secret.
 */
const example = readFileSync(join(repoRoot, 'examples/webhook-receiver.mjs'), 'utf8');

describe('the webhook receiver example', () => {
  const dir = tempDir();
  let cp: ControlPlane;
  let receiver: TsxProcess | undefined;

  beforeAll(async () => {
    cp = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
      FLEET_WEBHOOK_BACKOFF_MS: '100',
      FLEET_WEBHOOK_MAX_BACKOFF_MS: '200',
    });
  });
  afterAll(async () => {
    await receiver?.stop();
    await cp?.stop();
    dir.remove();
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${example}\`\`\``);
  });

  it('verifies and handles every delivery once, in order, and refuses a forged one', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { body: created } = await cp.request<CreatedWebhook>('POST', '/v1/webhooks', {
      url,
      types: ['node.down', 'session.placed'],
    });
    const tokens = await addUpNodes(cp, { a: 1 });
    await placeInOrder(cp, ['room-1', 'room-2']);
    await cp.request('POST', '/v1/nodes/a/heartbeat', { connected: false }, tokens.a);
    // The receiver starts after the events: they wait for it, retried.
    receiver = spawnTsx('examples/webhook-receiver.mjs', [], {
      FLEET_WEBHOOK_SECRET: created.secret,
      PORT: String(port),
    });
    await receiver.waitForLine((line) => jsonLine(line)?.listening === port);
    await receiver.waitForLine((line) => jsonLine(line)?.type === 'node.down', 20_000);
    const events = (
      await cp.request<EventPage>('GET', `/v1/events?after=${created.webhook.delivery.afterEventId}`)
    ).body.events.filter((e: { type: string }) => e.type !== 'node.up');
    const lines = receiver.lines.map(jsonLine).filter((line) => line !== null && !('listening' in line));
    expect(lines).toEqual([
      { handled: events[0]?.id, type: 'session.placed' },
      { handled: events[1]?.id, type: 'session.placed' },
      { rebuild: 'room-1' },
      { rebuild: 'room-2' },
      { handled: events[2]?.id, type: 'node.down' },
    ]);

    // A delivery repeated (at least once) is answered 2xx and not handled again; a forged one is refused.
    const body = JSON.stringify(events[2]);
    const timestamp = Math.floor(Date.now() / 1000);
    const post = async (secret: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'x-fleet-timestamp': String(timestamp),
          'x-fleet-signature': await signWebhook(secret, timestamp, body),
        },
        body,
      });
    expect((await post(created.secret)).status).toBe(204);
    expect((await post('whsec_not-the-secret')).status).toBe(401);
    expect(receiver.lines.map(jsonLine).filter((line) => line?.handled === events[2]?.id)).toHaveLength(1);
  });
});
