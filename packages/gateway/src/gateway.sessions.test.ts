import { connectRawClient, type RawKmsClient } from '@kurento-fleet/kms-emulator';
import { describe, expect, it } from 'vitest';
import { serverIdOf } from './gateway';
import { useHarness } from './testing/harness';

const SM = 'manager_ServerManager';

async function pipelineOn(client: RawKmsClient): Promise<string> {
  return ((await client.request('create', { type: 'MediaPipeline' })).result as { value: string }).value;
}

/** Two PassThroughs of a pipeline: connecting the first to the second raises ElementConnected on the first, as
 * often as it is done (a repeatable event to watch a subscription with). */
async function passThroughs(client: RawKmsClient, pipeline: string): Promise<[string, string]> {
  const make = async () =>
    (
      (
        await client.request('create', {
          type: 'PassThrough',
          constructorParams: { mediaPipeline: pipeline },
        })
      ).result as { value: string }
    ).value;
  return [await make(), await make()];
}

const connectOnce = (client: RawKmsClient, source: string, sink: string) =>
  client.request('invoke', {
    object: source,
    operation: 'connect',
    operationParams: { sink, mediaType: 'VIDEO' },
  });

describe('gateway: virtual sessions (in-process emulators, in-memory fleet)', () => {
  const h = useHarness();

  it('injects the linked session, answers pings itself, and gives connect its stable serverId', async () => {
    const { client } = await h.start({ a: 1 });
    const c = await client();
    expect((await c.request('ping', { interval: 5000 })).result).toStrictEqual({ value: 'pong' });
    const { sessionId } = (await c.request('describe', { object: SM })).result as { sessionId: string };
    expect((await c.request('ping')).result).toStrictEqual({ sessionId, value: 'pong' });
    const other = await client();
    expect((await other.request('connect')).result).toStrictEqual({
      serverId: serverIdOf('test-gw'),
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((await other.request('connect', { sessionId })).result).toStrictEqual({
      serverId: serverIdOf('test-gw'),
      sessionId,
    });
    expect((await other.request('connect', { sessionId: 'unknown-session' })).error).toStrictEqual({
      code: 40007,
      message: 'Invalid session',
      data: { type: 'INVALID_SESSION' },
    });
  });

  it('resumes a session on a new socket: what arrived meanwhile is delivered after connect, and events keep flowing', async () => {
    const { client, gateway } = await h.start({ a: 1, b: 1 });
    const first = await client();
    const { sessionId } = (await first.request('describe', { object: SM })).result as { sessionId: string };
    const [p, q] = [await pipelineOn(first), await pipelineOn(first)];
    const [source, sink] = await passThroughs(first, q);
    await first.request('subscribe', { type: 'ElementConnected', object: source });
    await first.request('subscribe', { type: 'ObjectCreated', object: SM });
    await first.close();

    // While no socket holds the session, its events wait in the gateway. Another application (another
    // session) raises them.
    const other = await connectRawClient(gateway.url);
    expect((await connectOnce(other, source, sink)).error).toBeUndefined();
    await other.request('create', { type: 'PassThrough', constructorParams: { mediaPipeline: p } });
    await other.close();

    const second = await client();
    const resumed = await second.request('connect', { sessionId });
    expect(resumed.result).toStrictEqual({ serverId: serverIdOf('test-gw'), sessionId });
    await second.waitForEvent('ObjectCreated');
    await second.waitForEvent('ElementConnected', (e) => e.object === source);
    // The buffered frames came after the connect answer.
    const connectIndex = second.messages.findIndex((m) => m.id === resumed.id);
    const firstEvent = second.messages.findIndex((m) => m.method === 'onEvent');
    expect(connectIndex).toBeLessThan(firstEvent);
    // Subscriptions made on the first socket deliver on the second.
    const before = second.events('ElementConnected').length;
    await connectOnce(second, source, sink);
    await expect.poll(() => second.events('ElementConnected').length).toBe(before + 1);
  });

  it('after a gateway restart, connect {sessionId} resumes the session from the KMS and pipelines stay routed', async () => {
    const { client, gateway, startGateway, fleet } = await h.start({ a: 1, b: 1 });
    const first = await client();
    const [p, q] = [await pipelineOn(first), await pipelineOn(first)];
    const { sessionId } = (await first.request('invoke', { object: p, operation: 'getName' })).result as {
      sessionId: string;
    };
    const [source, sink] = await passThroughs(first, q);
    await first.request('subscribe', { type: 'ElementConnected', object: source });
    await gateway.stop();
    expect((await first.closed).code).toBe(1001);

    const restarted = await startGateway();
    const second = await connectRawClient(restarted.url);
    expect((await second.request('connect', { sessionId })).result).toStrictEqual({
      serverId: serverIdOf('test-gw'),
      sessionId,
    });
    for (const pipeline of [p, q]) {
      expect(
        (await second.request('invoke', { object: pipeline, operation: 'getName' })).result,
      ).toStrictEqual({
        sessionId,
        value: pipeline,
      });
    }
    expect(fleet.sessions.get(p)).toBe('a');
    // The subscription made through the old gateway delivers through the new one.
    await connectOnce(second, source, sink);
    await second.waitForEvent('ElementConnected', (e) => e.object === source);
    // A session no KMS holds is 40007, as a restarted KMS answers.
    expect(
      (await second.request('connect', { sessionId: 'f0000000-0000-4000-8000-000000000000' })).error?.code,
    ).toBe(40007);
    await second.close();
  });

  it('answers pings itself, at once, even while every KMS is stalled', async () => {
    const { client, emulators } = await h.start({ a: 1 });
    const c = await client();
    const { sessionId } = (await c.request('describe', { object: SM })).result as { sessionId: string };
    emulators.a!.stall(true);
    const started = performance.now();
    expect((await c.request('ping', { interval: 5000 })).result).toStrictEqual({ sessionId, value: 'pong' });
    expect(performance.now() - started).toBeLessThan(100);
    emulators.a!.stall(false);
  });

  it('a session whose client is gone for good ends; its KMS collects it, and its pipeline frees its fleet session', async () => {
    const { client, emulators, fleet } = await h.start({ a: 1 }, { detachedSessionMs: 100 });
    const c = await client();
    const pipeline = await pipelineOn(c);
    expect(fleet.sessions.get(pipeline)).toBe('a');
    await c.close();
    // Once the gateway closed the session's KMS socket, two collector passes drop it (KMS: 240–480 s).
    await expect.poll(() => emulators.a!.snapshot().connections).toBe(1); // the control connection alone
    emulators.a!.runGc();
    emulators.a!.runGc();
    expect(emulators.a!.snapshot().pipelines).toEqual([]);
    await expect.poll(() => fleet.sessions.has(pipeline)).toBe(false);
  });

  it('releases the temporary placements an earlier run of the same gateway left, and no other ones', async () => {
    const { fleet, startGateway } = await h.start({ a: 1 });
    await fleet.placeOn('kurento-fleet-gateway~test-gw~0badc0de~1', 'a');
    await fleet.placeOn('kurento-fleet-gateway~other-gw~0badc0de~1', 'a');
    await fleet.placeOn('room-42', 'a');
    await startGateway();
    await expect.poll(() => fleet.sessions.has('kurento-fleet-gateway~test-gw~0badc0de~1')).toBe(false);
    expect([...fleet.sessions.keys()].sort()).toEqual([
      'kurento-fleet-gateway~other-gw~0badc0de~1',
      'room-42',
    ]);
  });

  it('keeps at most GATEWAY_BUFFER_FRAMES for a session without a socket: the latest, the others counted as dropped', async () => {
    const { client, gateway } = await h.start({ a: 1 }, { bufferFrames: 2 });
    const first = await client();
    const { sessionId } = (await first.request('describe', { object: SM })).result as { sessionId: string };
    await first.request('subscribe', { type: 'ObjectCreated', object: SM });
    await first.close();
    const other = await client();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await pipelineOn(other));
    // The fifth event has reached the gateway once three were dropped.
    await expect.poll(() => gateway.metrics.text()).toMatch(/^fleet_gateway_dropped_frames_total 3$/m);
    const second = await client();
    await second.request('connect', { sessionId });
    await expect.poll(() => second.events('ObjectCreated').length).toBe(2);
    await second.request('ping');
    expect(second.events('ObjectCreated').map((e) => e.data.object)).toEqual(created.slice(3));
  });
});
