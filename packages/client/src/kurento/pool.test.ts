import { EventEmitter } from 'node:events';
import type { KurentoClient, KurentoClientFactory, KurentoClientOptions } from '@kurento-fleet/kurento';
import { describe, expect, it } from 'vitest';
import { FleetClient } from '../client';
import { fakeFetch, type Scripted } from '../testing/fake-fetch';
import { closeKurentoClients, kurentoForSession } from './index';
import { KurentoConnectError, KurentoPool } from './pool';

/** A stand-in for kurento-client: its socket opens when the test says so. */
class FakeSocket extends EventEmitter {
  connected = false;
  reconnect = true;
  open() {
    this.connected = true;
    this.emit('connect');
    this.emit('connection');
  }
  disconnect() {
    this.reconnect = false;
    this.connected = false;
  }
}

function fakeKurento() {
  const made: Array<{ uri: string; options: KurentoClientOptions; client: KurentoClient; closed: boolean }> =
    [];
  const factory: KurentoClientFactory = (uri, options) => {
    // Thenable like the real one, whose `then` hands out a copy: a pool that resolves a promise with the
    // client would give each caller a different object.
    const client = Object.assign(new EventEmitter(), {
      _re: new FakeSocket(),
      // biome-ignore lint/suspicious/noThenProperty: the real KurentoClient is a thenable; the fake must be one.
      then: (onFulfilled: (value: unknown) => unknown) => Promise.resolve({ copy: true }).then(onFulfilled),
    }) as unknown as KurentoClient;
    const record = { uri, options, client, closed: false };
    Object.assign(client, { close: () => (record.closed = true) });
    made.push(record);
    return client;
  };
  return { factory, made, socket: (i: number) => made[i]?.client._re as unknown as FakeSocket };
}

function fleetAnswering(kmsUris: string[]) {
  const script: Scripted[] = kmsUris.map((kmsUri, i) => ({
    status: 201,
    body: { sessionId: `s${i}`, nodeId: 'n', kmsUri, assignedAt: 'x', reassigned: false },
  }));
  return new FleetClient({ url: 'http://fleet.test', token: 't', fetch: fakeFetch(script).fetch });
}

describe('KurentoPool', () => {
  it('guards the socket against unhandled errors at once, and shares one client per KMS', async () => {
    const kurento = fakeKurento();
    const pool = new KurentoPool({ factory: kurento.factory, failAfter: 3 });
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento', 'ws://b/kurento']);
    const first = pool.forSession(fleet, 's0');
    await expect.poll(() => kurento.made.length).toBe(1);
    // A refused attempt before the socket opens must not crash the process.
    expect(() => kurento.socket(0).emit('error', new Error('connect ECONNREFUSED'))).not.toThrow();
    kurento.socket(0).open();
    const a = await first;
    expect(a).toMatchObject({ created: true, assignment: { kmsUri: 'ws://a/kurento' } });
    const again = await pool.forSession(fleet, 's1');
    expect(again.client).toBe(a.client);
    const other = pool.forSession(fleet, 's2');
    await expect.poll(() => kurento.made.length).toBe(2);
    kurento.socket(1).open();
    expect((await other).client).not.toBe(a.client);
    expect(kurento.made[0]?.options).toEqual({ failAfter: 3, strict: false });
    pool.close();
    expect(kurento.made.map((m) => m.closed)).toEqual([true, true]);
  });

  it('gives up after connectTimeoutMs with the last socket error, and starts afresh on the next call', async () => {
    const kurento = fakeKurento();
    const pool = new KurentoPool({ factory: kurento.factory, connectTimeoutMs: 300 });
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento']);
    const failed = pool.forSession(fleet, 's0').catch((e: unknown) => e);
    await expect.poll(() => kurento.made.length).toBe(1);
    kurento.socket(0).emit('error', new Error('connect ECONNREFUSED 10.0.0.1:8888'));
    const error = await failed;
    expect(error).toBeInstanceOf(KurentoConnectError);
    expect((error as Error).message).toBe(
      'cannot connect to the KMS at ws://a/kurento: no connection within 300 ms (connect ECONNREFUSED 10.0.0.1:8888)',
    );
    expect(kurento.made[0]?.closed).toBe(true);

    const retried = pool.forSession(fleet, 's1');
    await expect.poll(() => kurento.made.length).toBe(2);
    kurento.socket(1).open();
    await expect(retried).resolves.toMatchObject({ client: kurento.made[1]?.client });
  });

  it('drops a client that gave up reconnecting', async () => {
    const kurento = fakeKurento();
    const pool = new KurentoPool({ factory: kurento.factory });
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento']);
    const first = pool.forSession(fleet, 's0');
    await expect.poll(() => kurento.made.length).toBe(1);
    kurento.socket(0).open();
    await first;
    kurento.socket(0).disconnect();
    kurento.made[0]?.client.emit('disconnect');
    const second = pool.forSession(fleet, 's1');
    await expect.poll(() => kurento.made.length).toBe(2);
    kurento.socket(1).open();
    await expect(second).resolves.toMatchObject({ client: kurento.made[1]?.client });
  });
});

describe('kurentoForSession', () => {
  it('makes its shared pool with the options of the first call, and refuses different ones by name', async () => {
    const kurento = fakeKurento();
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento', 'ws://a/kurento']);
    try {
      const first = kurentoForSession(fleet, 's0', { factory: kurento.factory, failAfter: 2 });
      await expect.poll(() => kurento.made.length).toBe(1);
      kurento.socket(0).open();
      const room = await first;
      expect(kurento.made[0]?.options).toEqual({ failAfter: 2, strict: false });

      // The same options again, or none: the same pool and client.
      expect((await kurentoForSession(fleet, 's1', { factory: kurento.factory })).client).toBe(room.client);
      expect((await kurentoForSession(fleet, 's2')).client).toBe(room.client);

      const other = fakeKurento();
      await expect(kurentoForSession(fleet, 's3', { factory: other.factory })).rejects.toThrow(
        'kurentoForSession: the shared pool was made with another factory',
      );
      expect(other.made).toEqual([]);
    } finally {
      closeKurentoClients();
    }
    expect(kurento.made[0]?.closed).toBe(true);
  });
});
