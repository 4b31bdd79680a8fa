import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assignSession,
  createNode,
  createWebhook,
  defaultDeliverySettings,
  type FleetDb,
  listDeliveries,
  recordHeartbeat,
  takeLease,
} from '@kurento-fleet/db';
import { openSqliteFile, type SqliteFile } from '@kurento-fleet/db/node';
import { silentLogger } from '@kurento-fleet/log';
import { startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import { afterEach, describe, expect, it } from 'vitest';
import { unlimited, WebhookDispatcher } from './dispatcher';

/**
 * Several dispatchers on one database, as replicas run them: each on its own connection to one SQLite file,
 * delivering to one real receiver. Whatever the interleaving, one webhook's events go out one at a time, in
 * order; a dispatcher that holds a lease keeps the others off until it ends; one that lost its lease records
 * nothing.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function database(): { path: string; open(): SqliteFile } {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-dispatch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'fleet.db');
  return {
    path,
    open() {
      const file = openSqliteFile(path);
      cleanups.push(() => file.close());
      return file;
    },
  };
}

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  cleanups.push(() => started.close());
  return started;
}

const settings = { ...defaultDeliverySettings, backoffMs: 10, maxBackoffMs: 50, timeoutMs: 2000 };

/** Writes `count` events: a node comes up, then sessions are placed on it. */
async function writeEvents(db: FleetDb, count: number, prefix: string) {
  for (let i = 0; i < count; i++) await assignSession(db, { sessionId: `${prefix}${i}` });
}

describe('webhook dispatchers of several replicas on one database', () => {
  it('deliver one webhook’s events one at a time, in order, each once, however their passes interleave', async () => {
    const file = database();
    const replicas = [file.open(), file.open(), file.open()].map((f) => ({
      client: f.client,
      now: Date.now,
      heartbeatTimeoutMs: 600_000,
    }));
    const [first] = replicas as [FleetDb];
    const r = await receiver();
    let inFlight = 0;
    let most = 0;
    r.answer = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 3));
      inFlight -= 1;
      return 200;
    };
    await createNode(first, { id: 'a', uri: 'ws://a:8888/kurento' });
    await recordHeartbeat(first, 'a', { connected: true });
    const { webhook } = await createWebhook(first, { url: r.url });
    const dispatchers = replicas.map((db) => new WebhookDispatcher({ db, settings, log: silentLogger }));
    // Events written by every replica while every dispatcher passes, many times over.
    const writing = Promise.all(replicas.map((db, i) => writeEvents(db, 40, `r${i}-`)));
    const passing = (async () => {
      for (let round = 0; round < 60; round++) {
        await Promise.all(dispatchers.map((d) => d.drain(unlimited())));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    await Promise.all([writing, passing]);
    await Promise.all(dispatchers.map((d) => d.drain(unlimited())));

    const ids = r.received.map((d) => Number(JSON.parse(d.body).id));
    expect(ids).toHaveLength(120);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(120);
    expect(most).toBe(1);
    const log = await listDeliveries(first, webhook.id, 1000);
    expect(log.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
  }, 60_000);

  it('keep off a webhook whose lease another holds until it runs out, then take it over', async () => {
    const file = database();
    let now = Date.UTC(2026, 0, 1);
    const db: FleetDb = { client: file.open().client, now: () => now, heartbeatTimeoutMs: 600_000 };
    const r = await receiver();
    await createNode(db, { id: 'a', uri: 'ws://a:8888/kurento' });
    await recordHeartbeat(db, 'a', { connected: true });
    const { webhook } = await createWebhook(db, { url: r.url });
    await writeEvents(db, 2, 's');
    // A replica that took the lease and died (SIGKILL): it never hands it back.
    expect(await takeLease(db, webhook.id, 'a-replica-that-died', settings)).not.toBeNull();
    const survivor = new WebhookDispatcher({ db, settings, log: silentLogger });
    const next = await survivor.drain(unlimited());
    expect(r.received).toHaveLength(0);
    expect(next).toBe(now + 3 * settings.timeoutMs);
    now = next as number;
    await survivor.drain(unlimited());
    expect(r.received).toHaveLength(2);
  });

  it('record nothing for a holder that lost its lease; the new holder delivers the event again', async () => {
    const file = database();
    let now = Date.UTC(2026, 0, 1);
    const db: FleetDb = { client: file.open().client, now: () => now, heartbeatTimeoutMs: 600_000 };
    const r = await receiver();
    await createNode(db, { id: 'a', uri: 'ws://a:8888/kurento' });
    await recordHeartbeat(db, 'a', { connected: true });
    const { webhook } = await createWebhook(db, { url: r.url });
    await writeEvents(db, 1, 's');
    const slow = new WebhookDispatcher({ db, settings, log: silentLogger });
    // The holder stalls in its attempt past the end of its lease; another process takes the webhook meanwhile.
    let answer = (_: number) => {};
    const attempted = new Promise<void>((started) => {
      r.answer = () => {
        now += 10 * settings.timeoutMs;
        started();
        return new Promise((resolve) => {
          answer = resolve;
        });
      };
    });
    const stalled = slow.drain(unlimited());
    await attempted;
    expect(await takeLease(db, webhook.id, 'the-next-holder', settings)).not.toBeNull();
    answer(200);
    await stalled;
    expect(r.received.map((d) => d.status)).toEqual([200]);
    expect(await listDeliveries(db, webhook.id, 10)).toEqual([]);
  });
});
