import { describe, expect, it } from 'vitest';
import type { WireFrame } from '../connection';
import { createPipeline, expectKurentoError, resultOf, UUID, useEmulator } from './helpers';

describe('conformance: sessions (§2)', () => {
  const kms = useEmulator();

  it('case 3: describe manager_ServerManager without sessionId makes a new lowercase UUID session', async () => {
    const frames: WireFrame[] = [];
    const emulator = await kms.start({ onFrame: (frame) => frames.push(frame) });
    const client = await kms.client(emulator);

    const result = resultOf(await client.request('describe', { object: 'manager_ServerManager' }));
    expect(result).toStrictEqual({
      hierarchy: ['kurento.MediaObject'],
      qualifiedType: 'kurento.ServerManager',
      sessionId: expect.stringMatching(UUID),
      type: 'ServerManager',
    });
    expect(emulator.snapshot().sessions).toEqual([result.sessionId]);
    // jsoncpp writes members in key order, so does the emulator.
    const reply = frames.find((f) => f.direction === 'out')?.text;
    expect(reply).toBe(
      `{"id":0,"jsonrpc":"2.0","result":{"hierarchy":["kurento.MediaObject"],` +
        `"qualifiedType":"kurento.ServerManager","sessionId":"${result.sessionId}","type":"ServerManager"}}`,
    );
  });

  it('case 4: on that connection a bare ping is answered with the session, and describe keeps it', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);
    const { sessionId } = resultOf(await client.request('describe', { object: 'manager_ServerManager' }));

    expect(await client.request('ping')).toStrictEqual({
      id: 1,
      jsonrpc: '2.0',
      result: { sessionId, value: 'pong' },
    });
    expect(resultOf(await client.request('describe', { object: 'manager_ServerManager' })).sessionId).toBe(
      sessionId,
    );
    // A session passed explicitly wins over the injected one.
    expect(resultOf(await client.request('ping', { sessionId: 'explicit' }))).toStrictEqual({
      sessionId: 'explicit',
      value: 'pong',
    });
  });

  it('case 18: connect with an unknown session is 40007; connect without params or with {} opens one', async () => {
    const emulator = await kms.start();
    const unknown = await kms.client(emulator);
    expectKurentoError(
      await unknown.request('connect', { sessionId: 'a2a6f3b4-0000-4000-8000-000000000000' }),
      0,
      40007,
      'Invalid session',
      'INVALID_SESSION',
    );

    for (const params of [undefined, {}]) {
      const client = await kms.client(emulator);
      const result = resultOf(await client.request('connect', params));
      expect(result).toStrictEqual({ serverId: emulator.serverId, sessionId: expect.stringMatching(UUID) });
      expect(emulator.serverId).toMatch(UUID);
      expect(result.sessionId).not.toBe(emulator.serverId);
    }
  });

  it('case 19: after a reconnect, connect {sessionId} relinks the session and its subscriptions to the new socket', async () => {
    const emulator = await kms.start();
    const first = await kms.client(emulator);
    const sessionId = resultOf(await first.request('describe', { object: 'manager_ServerManager' }))
      .sessionId as string;
    resultOf(await first.request('subscribe', { type: 'ObjectCreated', object: 'manager_ServerManager' }));
    await first.close();

    const second = await kms.client(emulator);
    expect(resultOf(await second.request('connect', { sessionId }))).toStrictEqual({
      serverId: emulator.serverId,
      sessionId,
    });
    // No sessionId in the request: the relinked session is injected, and its subscription delivers here.
    const created = resultOf(await second.request('create', { type: 'MediaPipeline' }));
    expect(created.sessionId).toBe(sessionId);
    const event = await second.waitForEvent('ObjectCreated', (e) => e.data.object === created.value);
    expect(event.object).toBe('manager_ServerManager');
    expect(first.events()).toEqual([]);

    // The old socket's pipeline still belongs to the session: the relinked socket can use it.
    const pipeline = await createPipeline(second);
    expect(resultOf(await second.request('invoke', { object: pipeline, operation: 'getName' })).value).toBe(
      pipeline,
    );
  });
});
