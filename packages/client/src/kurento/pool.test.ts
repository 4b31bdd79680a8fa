import { EventEmitter } from 'node:events';
import type { KurentoClient, KurentoClientFactory, KurentoClientOptions } from '@kurento-fleet/kurento';
import { describe, expect, it } from 'vitest';
import { FleetClient } from '../client';
import { errorBody, fakeFetch, type Scripted } from '../testing/fake-fetch';
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
    const pool = new KurentoPool({ factory: kurento.factory, failAfter: 3, failureReports: 0 });
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento', 'ws://a/kurento', 'ws://b/kurento']);
    const refused = pool.forSession(fleet, 's0').catch((e: unknown) => e);
    await expect.poll(() => kurento.made.length).toBe(1);
    // A refused attempt must not crash the process: it fails the call, and the client is dropped.
    expect(() => kurento.socket(0).emit('error', new Error('connect ECONNREFUSED'))).not.toThrow();
    expect(await refused).toBeInstanceOf(KurentoConnectError);
    expect(() => kurento.socket(0).emit('error', new Error('connect ECONNREFUSED'))).not.toThrow();
    const first = pool.forSession(fleet, 's0');
    await expect.poll(() => kurento.made.length).toBe(2);
    kurento.socket(1).open();
    const a = await first;
    expect(a).toMatchObject({ created: true, assignment: { kmsUri: 'ws://a/kurento' } });
    const again = await pool.forSession(fleet, 's1');
    expect(again.client).toBe(a.client);
    const other = pool.forSession(fleet, 's2');
    await expect.poll(() => kurento.made.length).toBe(3);
    kurento.socket(2).open();
    expect((await other).client).not.toBe(a.client);
    expect(kurento.made[0]?.options).toEqual({ failAfter: 3, strict: false });
    pool.close();
    expect(kurento.made.map((m) => m.closed)).toEqual([true, true, true]);
  });

  it('gives up after connectTimeoutMs, and starts afresh on the next call', async () => {
    const kurento = fakeKurento();
    const pool = new KurentoPool({ factory: kurento.factory, connectTimeoutMs: 300, failureReports: 0 });
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento']);
    const error = await pool.forSession(fleet, 's0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KurentoConnectError);
    expect((error as Error).message).toBe(
      'cannot connect to the KMS at ws://a/kurento: no connection within 300 ms',
    );
    expect(kurento.made[0]?.closed).toBe(true);

    const retried = pool.forSession(fleet, 's1');
    await expect.poll(() => kurento.made.length).toBe(2);
    kurento.socket(1).open();
    await expect(retried).resolves.toMatchObject({ client: kurento.made[1]?.client });
  });

  it('fails at once when the connection attempt fails, naming the socket error', async () => {
    const kurento = fakeKurento();
    const pool = new KurentoPool({ factory: kurento.factory, connectTimeoutMs: 60_000, failureReports: 0 });
    const fleet = fleetAnswering(['ws://a/kurento']);
    const failed = pool.forSession(fleet, 's0').catch((e: unknown) => e);
    await expect.poll(() => kurento.made.length).toBe(1);
    kurento.socket(0).emit('error', new Error('connect ECONNREFUSED 10.0.0.1:8888'));
    expect(((await failed) as Error).message).toBe(
      'cannot connect to the KMS at ws://a/kurento: the connection attempt failed (connect ECONNREFUSED 10.0.0.1:8888)',
    );
  });

  it('fails at once for a KMS whose socket dropped and whose last reconnection failed', async () => {
    const kurento = fakeKurento();
    const pool = new KurentoPool({ factory: kurento.factory, connectTimeoutMs: 60_000, failureReports: 0 });
    const fleet = fleetAnswering(['ws://a/kurento', 'ws://a/kurento']);
    const first = pool.forSession(fleet, 's0');
    await expect.poll(() => kurento.made.length).toBe(1);
    kurento.socket(0).open();
    await first;
    // The KMS dies: the socket closes and reconnect-core's next attempt is refused.
    Object.assign(kurento.socket(0), { connected: false });
    kurento.socket(0).emit('error', new Error('connect ECONNREFUSED 10.0.0.1:8888'));
    const error = await pool.forSession(fleet, 's1').catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'cannot connect to the KMS at ws://a/kurento: the last connection attempt failed (connect ECONNREFUSED 10.0.0.1:8888)',
    );
    // Still the same client, reconnecting: once the KMS is back, calls use it again.
    kurento.socket(0).open();
    await expect(pool.forSession(fleetAnswering(['ws://a/kurento']), 's2')).resolves.toMatchObject({
      client: kurento.made[0]?.client,
    });
    expect(kurento.made).toHaveLength(1);
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

/** The answers of an assignment on `nodeId` at `kmsUri`: new (201), or moved there (200, reassigned). */
const placedOn = (nodeId: string, kmsUri: string, moved = false): Scripted => ({
  status: moved ? 200 : 201,
  body: { sessionId: 'room', nodeId, kmsUri, assignedAt: 'x', reassigned: moved },
});
const ejected = (nodeId: string): Scripted => ({
  status: 202,
  body: { nodeId, ejectedUntil: '2026-01-01T00:00:30.000Z' },
});

describe('KurentoPool reporting an unreachable KMS', () => {
  /** A pool whose KMS at ws://dead* refuse every connection and whose others accept at once. */
  function poolWithDeadKms(options: { failureReports?: number } = {}) {
    const kurento = fakeKurento();
    const factory: KurentoClientFactory = (uri, clientOptions, callback) => {
      const client = kurento.factory(uri, clientOptions, callback);
      const socket = client._re as unknown as FakeSocket;
      setTimeout(() => {
        if (uri.startsWith('ws://dead')) socket.emit('error', new Error('connect ECONNREFUSED'));
        else socket.open();
      }, 1);
      return client;
    };
    return { pool: new KurentoPool({ factory, connectTimeoutMs: 60_000, ...options }), kurento };
  }

  it('reports the node and asks again: the session moves, and created stays true', async () => {
    const { pool } = poolWithDeadKms();
    const { fetch, calls } = fakeFetch([
      placedOn('d', 'ws://dead/kurento'),
      ejected('d'),
      placedOn('b', 'ws://b/kurento', true),
    ]);
    const fleet = new FleetClient({ url: 'http://fleet.test', token: 't', fetch });
    const room = await pool.forSession(fleet, 'room');
    expect(room).toMatchObject({ created: true, assignment: { nodeId: 'b', reassigned: true } });
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      'POST /v1/sessions',
      'POST /v1/nodes/d/failures',
      'POST /v1/sessions',
    ]);
    expect(calls[1]?.body).toEqual({
      reason:
        'cannot connect to the KMS at ws://dead/kurento: the connection attempt failed (connect ECONNREFUSED)',
    });
    pool.close();
  });

  it('reports at most failureReports times, then throws the connection error', async () => {
    const { pool } = poolWithDeadKms({ failureReports: 2 });
    const { fetch, calls } = fakeFetch([
      placedOn('d1', 'ws://dead1/kurento'),
      ejected('d1'),
      placedOn('d2', 'ws://dead2/kurento', true),
      ejected('d2'),
      placedOn('d3', 'ws://dead3/kurento', true),
    ]);
    const fleet = new FleetClient({ url: 'http://fleet.test', token: 't', fetch });
    const error = await pool.forSession(fleet, 'room').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KurentoConnectError);
    expect(error).toMatchObject({ kmsUri: 'ws://dead3/kurento' });
    expect(calls).toHaveLength(5);
    pool.close();
  });

  it.each([
    [
      'the fleet kept the node in rotation (ejectedUntil null)',
      { status: 202, body: { nodeId: 'd', ejectedUntil: null } },
      {},
    ],
    ['the report failed', { status: 403, body: errorBody('FORBIDDEN') }, {}],
    ['the node was forced', ejected('d'), { nodeId: 'd' }],
  ] as Array<[string, Scripted, { nodeId?: string }]>)(
    'does not ask again when %s',
    async (_, report, options) => {
      const { pool } = poolWithDeadKms();
      const { fetch, calls } = fakeFetch([placedOn('d', 'ws://dead/kurento'), report]);
      const fleet = new FleetClient({ url: 'http://fleet.test', token: 't', fetch, retry: { attempts: 1 } });
      await expect(pool.forSession(fleet, 'room', options)).rejects.toBeInstanceOf(KurentoConnectError);
      expect(calls.map((c) => c.method)).toEqual(['POST', 'POST']);
      pool.close();
    },
  );

  it('never reports with failureReports: 0', async () => {
    const { pool } = poolWithDeadKms({ failureReports: 0 });
    const { fetch, calls } = fakeFetch([placedOn('d', 'ws://dead/kurento')]);
    const fleet = new FleetClient({ url: 'http://fleet.test', token: 't', fetch });
    await expect(pool.forSession(fleet, 'room')).rejects.toBeInstanceOf(KurentoConnectError);
    expect(calls).toHaveLength(1);
    pool.close();
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
