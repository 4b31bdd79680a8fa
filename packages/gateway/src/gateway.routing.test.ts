import { connectRawClient, type JsonObject, type RawKmsClient } from '@kurento-fleet/kms-emulator';
import { describe, expect, it } from 'vitest';
import { useHarness } from './testing/harness';

const SM = 'manager_ServerManager';

async function create(
  client: RawKmsClient,
  type: string,
  constructorParams: JsonObject = {},
): Promise<string> {
  const response = await client.request('create', { type, constructorParams, properties: {} });
  expect(response.error).toBeUndefined();
  return (response.result as { value: string }).value;
}

describe('gateway: placement and routing (in-process emulators, in-memory fleet)', () => {
  const h = useHarness();

  it('places each pipeline through the fleet by weight, names its fleet session by its id, routes its elements', async () => {
    const { client, emulators, fleet } = await h.start({ a: 2, b: 1 });
    const c = await client();
    const pipelines = [];
    for (let i = 0; i < 3; i++) pipelines.push(await create(c, 'MediaPipeline'));
    expect(pipelines.map((p) => fleet.sessions.get(p))).toEqual(['a', 'b', 'a']);
    // Renamed: no temporary key is left, and no pick but the three placements was consumed.
    expect([...fleet.sessions.keys()].sort()).toEqual([...pipelines].sort());
    expect(fleet.calls.filter((call) => call.startsWith('place '))).toHaveLength(3);

    const [p0, p1] = pipelines as [string, string];
    const endpoint = await create(c, 'WebRtcEndpoint', { mediaPipeline: p1 });
    expect(endpoint.startsWith(`${p1}/`)).toBe(true);
    expect(emulators.b!.snapshot().pipelines).toEqual([expect.objectContaining({ id: p1, children: 1 })]);
    const offer = await c.request('invoke', { object: endpoint, operation: 'generateOffer' });
    expect((offer.result as { value: string }).value).toContain('v=0');

    // Every answer carries the client's one session id, whichever KMS gave it.
    const sessions = new Set(
      c.messages.map((m) => (m.result as { sessionId?: string } | undefined)?.sessionId),
    );
    expect(sessions.size).toBe(1);
    // Beside the gateway's own control session, each KMS holds that one session.
    const own = (id: string) =>
      emulators[id]!.snapshot().sessions.filter((s) => !s.startsWith('kurento-fleet-gateway~'));
    expect(own('a')).toEqual([...sessions]);
    expect(own('b')).toEqual([...sessions]);

    // Releasing a pipeline releases its fleet session.
    expect((await c.request('release', { object: p0 })).error).toBeUndefined();
    await expect.poll(() => fleet.sessions.has(p0)).toBe(false);
    expect(emulators.a!.snapshot().pipelines.map((p) => p.id)).not.toContain(p0);
  });

  it('refuses to connect elements of two pipelines, and to run a transaction over two', async () => {
    const { client } = await h.start({ a: 1, b: 1 });
    const c = await client();
    const [p, q] = [await create(c, 'MediaPipeline'), await create(c, 'MediaPipeline')] as [string, string];
    const [e, f] = [
      await create(c, 'PassThrough', { mediaPipeline: p }),
      await create(c, 'PassThrough', { mediaPipeline: q }),
    ];
    const connect = await c.request('invoke', {
      object: e,
      operation: 'connect',
      operationParams: { sink: f },
    });
    expect(connect.error).toEqual({
      code: 40004,
      message: 'Media elements do not share pipeline',
      data: { type: 'CONNECT_ERROR' },
    });
    const spanning = await c.request('transaction', {
      operations: [
        { jsonrpc: '2.0', id: 0, method: 'invoke', params: { object: e, operation: 'getName' } },
        { jsonrpc: '2.0', id: 1, method: 'invoke', params: { object: f, operation: 'getName' } },
      ],
    });
    expect(spanning.error).toMatchObject({ code: 40008, data: { type: 'MALFORMED_TRANSACTION' } });
    expect(spanning.error?.message).toContain('two pipelines');
    // The socket is still fine.
    expect((await c.request('invoke', { object: e, operation: 'getName' })).result).toMatchObject({
      value: e,
    });
  });

  it('places a transaction that creates a pipeline, and sends one about a pipeline to its KMS', async () => {
    const { client, emulators, fleet } = await h.start({ a: 1, b: 1 });
    const c = await client();
    await create(c, 'MediaPipeline'); // a
    const created = await c.request('transaction', {
      operations: [
        { jsonrpc: '2.0', id: 0, method: 'create', params: { type: 'MediaPipeline' } },
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'create',
          params: { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: 'newref:0' } },
        },
        { jsonrpc: '2.0', id: 2, method: 'invoke', params: { object: 'newref:1', operation: 'getName' } },
      ],
    });
    const results = (created.result as { value: Array<{ result: { value: string } }> }).value;
    const pipeline = results[0]!.result.value;
    expect(fleet.sessions.get(pipeline)).toBe('b');
    expect(emulators.b!.snapshot().pipelines).toEqual([
      expect.objectContaining({ id: pipeline, children: 1 }),
    ]);
    const more = await c.request('transaction', {
      operations: [
        {
          jsonrpc: '2.0',
          id: 0,
          method: 'create',
          params: { type: 'PassThrough', constructorParams: { mediaPipeline: pipeline } },
        },
      ],
    });
    expect(more.error).toBeUndefined();
    expect(emulators.b!.snapshot().pipelines).toEqual([
      expect.objectContaining({ id: pipeline, children: 2 }),
    ]);
  });

  it('answers ServerManager calls for the fleet: the union of pipelines and sessions, events of every KMS', async () => {
    const { client, emulators } = await h.start({ a: 1, b: 1 });
    const c = await client();
    const created = (await c.request('subscribe', { type: 'ObjectCreated', object: SM })).result as {
      value: string;
    };
    await c.request('subscribe', { type: 'ObjectDestroyed', object: SM });
    const [p, q] = [await create(c, 'MediaPipeline'), await create(c, 'MediaPipeline')];
    await c.waitForEvent('ObjectCreated', (e) => e.data.object === p);
    await c.waitForEvent('ObjectCreated', (e) => e.data.object === q);
    const listed = await c.request('invoke', { object: SM, operation: 'getPipelines' });
    expect((listed.result as { value: string[] }).value.sort()).toEqual([p, q].sort());
    const sessions = await c.request('invoke', { object: SM, operation: 'getSessions' });
    expect((sessions.result as { value: string[] }).value).toEqual([
      (listed.result as { sessionId: string }).sessionId,
    ]);
    const info = await c.request('invoke', { object: SM, operation: 'getInfo' });
    expect(info.result).toMatchObject({ value: { type: 'KMS', version: '7.3.0' } });
    // A pipeline another application made directly on a KMS is in the list too, and routable.
    const direct = await connectRawClient(emulators.b!.url);
    const outside = ((await direct.request('create', { type: 'MediaPipeline' })).result as { value: string })
      .value;
    const all = await c.request('invoke', { object: SM, operation: 'getPipelines' });
    expect((all.result as { value: string[] }).value).toContain(outside);
    expect((await c.request('invoke', { object: outside, operation: 'getName' })).result).toMatchObject({
      value: outside,
    });
    await direct.close();

    await c.request('release', { object: q });
    await c.waitForEvent('ObjectDestroyed', (e) => e.data.objectId === q);
    await c.request('unsubscribe', {
      object: SM,
      subscription: created.value,
      sessionId: (listed.result as { sessionId: string }).sessionId,
    });
    await create(c, 'MediaPipeline');
    await c.request('ping');
    // p, q and the outside one; none after the unsubscription.
    expect(c.events('ObjectCreated')).toHaveLength(3);
  });
});
