import type { JsonObject, RawKmsClient } from '@kurento-fleet/kms-emulator';
import { describe, expect, it } from 'vitest';
import { useHarness } from './testing/harness';

async function create(
  client: RawKmsClient,
  type: string,
  constructorParams: JsonObject = {},
): Promise<string> {
  const response = await client.request('create', { type, constructorParams });
  expect(response.error).toBeUndefined();
  return (response.result as { value: string }).value;
}

describe('gateway: KMS failures (in-process emulators, in-memory fleet; grace 200 ms)', () => {
  const h = useHarness();

  it('a KMS that dies: requests in flight fail at once, later ones get 40101, subscribers get Error, the node is reported', async () => {
    const { client, emulators, fleet } = await h.start({ a: 1, b: 1 });
    const c = await client();
    const onA = await create(c, 'MediaPipeline');
    const onB = await create(c, 'MediaPipeline');
    const endpoint = await create(c, 'WebRtcEndpoint', { mediaPipeline: onB });
    await c.request('subscribe', { type: 'Error', object: onB });

    emulators.b!.stall(true);
    const inFlight = c.request('invoke', { object: endpoint, operation: 'getName' });
    const killed = performance.now();
    await emulators.b!.kill();
    expect((await inFlight).error).toMatchObject({ code: 40003, data: { type: 'UNEXPECTED_ERROR' } });
    expect(performance.now() - killed).toBeLessThan(150);

    const later = await c.request('invoke', { object: endpoint, operation: 'getName' });
    expect(later.error).toStrictEqual({
      code: 40101,
      message: `Object '${endpoint}' not found`,
      data: { type: 'MEDIA_OBJECT_NOT_FOUND' },
    });
    expect(performance.now() - killed).toBeLessThan(1500);
    const error = await c.waitForEvent('Error', (e) => e.object === onB);
    expect(error.data).toStrictEqual({
      description: expect.stringContaining("node 'b'"),
      errorCode: 40101,
      source: onB,
      tags: [],
      timestampMillis: expect.stringMatching(/^\d+$/),
      type: 'KMS_UNREACHABLE',
    });
    await expect.poll(() => fleet.failures.map((f) => f.nodeId)).toEqual(['b']);
    expect(fleet.sessions.has(onB)).toBe(false);

    // New pipelines go to the others; the one on a was never touched; the socket stayed up throughout.
    for (let i = 0; i < 3; i++) expect(fleet.sessions.get(await create(c, 'MediaPipeline'))).toBe('a');
    expect((await c.request('invoke', { object: onA, operation: 'getName' })).result).toMatchObject({
      value: onA,
    });
    expect(c.events('Error')).toHaveLength(1);
  });

  it('a KMS socket that drops and comes back within the grace loses nothing', async () => {
    const { client, emulators, fleet } = await h.start({ a: 1 });
    const c = await client();
    const pipeline = await create(c, 'MediaPipeline');
    const [source, sink] = [
      await create(c, 'PassThrough', { mediaPipeline: pipeline }),
      await create(c, 'PassThrough', { mediaPipeline: pipeline }),
    ];
    await c.request('subscribe', { type: 'ElementConnected', object: source });
    emulators.a!.dropConnections();
    // A read racing the drop is sent again on a new socket; a write would get 40003 (its outcome unknown).
    expect((await c.request('invoke', { object: source, operation: 'getName' })).result).toMatchObject({
      value: source,
    });
    const connected = await c.request('invoke', {
      object: source,
      operation: 'connect',
      operationParams: { sink, mediaType: 'AUDIO' },
    });
    expect(connected.error).toBeUndefined();
    // The subscription made before the drop still delivers.
    await c.waitForEvent('ElementConnected', (e) => e.object === source);
    expect(fleet.failures).toEqual([]);
    expect(c.events('Error')).toEqual([]);
  });

  it('a KMS restarted within the grace is a new process: its pipelines are lost (Error), it is not reported', async () => {
    const { client, emulators, fleet } = await h.start({ a: 1 });
    const c = await client();
    const pipeline = await create(c, 'MediaPipeline');
    await emulators.a!.restart();
    const error = await c.waitForEvent('Error', (e) => e.object === pipeline);
    expect(error.data.type).toBe('KMS_RESTARTED');
    const later = await c.request('invoke', { object: pipeline, operation: 'getName' });
    expect(later.error?.code).toBe(40101);
    expect(fleet.failures).toEqual([]);
    expect(await create(c, 'MediaPipeline')).toMatch(/_kurento\.MediaPipeline$/);
  });

  it('places a pipeline again when the chosen KMS cannot be reached; the client sees no error', async () => {
    const { client, emulators, fleet } = await h.start({ a: 1, b: 5 });
    await emulators.b!.kill();
    const c = await client();
    const pipeline = await create(c, 'MediaPipeline');
    expect(fleet.sessions.get(pipeline)).toBe('a');
    expect(fleet.failures.map((f) => f.nodeId)).toEqual(['b']);
    // No temporary placement is left behind.
    await expect.poll(() => [...fleet.sessions.keys()]).toEqual([pipeline]);
  });

  it('a KMS cut off past the grace is failed; when the same process comes back, the pipelines declared lost are released there', async () => {
    const { client, emulators, links, fleet } = await h.start({ a: 1 });
    const c = await client();
    const lost = await create(c, 'MediaPipeline');
    links.a!.partition();
    const error = await c.waitForEvent('Error', (e) => e.object === lost);
    expect(error.data.type).toBe('KMS_UNREACHABLE');
    expect((await c.request('invoke', { object: lost, operation: 'getName' })).error?.code).toBe(40101);
    expect(fleet.failures.map((f) => f.nodeId)).toEqual(['a']);
    // Still there on the KMS, which never stopped…
    expect(emulators.a!.snapshot().pipelines.map((p) => p.id)).toEqual([lost]);
    links.a!.heal();
    fleet.readmit('a');
    // …until the gateway reconnects: its clients were told it is gone, so it goes.
    await expect.poll(() => emulators.a!.snapshot().pipelines, { timeout: 8000 }).toEqual([]);
    expect(fleet.sessions.get(await create(c, 'MediaPipeline'))).toBe('a');
  });

  it('a KMS back after a long outage takes the next placement at once, though the link was backing off', async () => {
    const { client, links, fleet } = await h.start({ a: 1, b: 5 });
    const c = await client();
    links.b!.partition();
    await expect.poll(() => fleet.failures.map((f) => f.nodeId)).toEqual(['b']);
    // Retries after 250, 500 and 1000 ms have failed: the next one is 2 s away.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    links.b!.heal();
    fleet.readmit('b');
    const started = performance.now();
    const pipeline = await create(c, 'MediaPipeline');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fleet.sessions.get(pipeline)).toBe('b');
    expect(fleet.failures.map((f) => f.nodeId)).toEqual(['b']);
  });
});
