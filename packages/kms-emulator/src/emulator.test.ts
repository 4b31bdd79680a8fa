import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { createPipeline, expectKurentoError, resultOf, useEmulator } from './conformance/helpers';
import { connectRawClient, type RawKmsClient } from './raw-client';

const SM = 'manager_ServerManager';

async function managerValue(client: RawKmsClient, operation: string, operationParams?: { interval: number }) {
  const params: JsonObject = { object: SM, operation };
  if (operationParams) params.operationParams = operationParams;
  return resultOf(await client.request('invoke', params)).value as number;
}

describe('fault controls', () => {
  const kms = useEmulator();

  it('dropConnections closes every socket but keeps sessions and objects', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);
    const pipeline = await createPipeline(client);
    const sessionId = resultOf(await client.request('ping')).sessionId as string;

    emulator.dropConnections();
    expect((await client.closed).code).toBe(1006);
    const again = await kms.client(emulator);
    expect(resultOf(await again.request('connect', { sessionId })).serverId).toBe(emulator.serverId);
    expect(resultOf(await again.request('invoke', { object: pipeline, operation: 'getName' })).value).toBe(
      pipeline,
    );
  });

  it('stall holds every request, accepts new sockets, and answers in order once resumed', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);
    emulator.stall(true);
    const pending = [client.request('ping'), client.request('describe', { object: SM })];
    const late = await kms.client(emulator);
    const latePing = late.request('ping');
    await sleep(150);
    expect(client.messages).toEqual([]);
    expect(late.messages).toEqual([]);
    expect(emulator.snapshot()).toMatchObject({ stalled: true, connections: 2 });

    emulator.stall(false);
    const [ping, described] = await Promise.all(pending);
    expect(ping?.id).toBe(0);
    expect(described?.id).toBe(1);
    expect(resultOf(await latePing).value).toBe('pong');
  });

  it('kill refuses connections; start serves a fresh process (new serverId, no state) on the same port', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);
    await createPipeline(client);
    const { port, serverId } = emulator;

    await emulator.kill();
    await expect(connectRawClient(emulator.url)).rejects.toThrow(/ECONNREFUSED/);
    expect(emulator.snapshot().up).toBe(false);

    await emulator.start();
    expect(emulator.port).toBe(port);
    expect(emulator.serverId).not.toBe(serverId);
    const fresh = await kms.client(emulator);
    expect(resultOf(await fresh.request('invoke', { object: SM, operation: 'getPipelines' })).value).toEqual(
      [],
    );
  });

  it('restart with downMs stays unreachable that long', async () => {
    const emulator = await kms.start();
    const { serverId } = emulator;
    const restarted = emulator.restart({ downMs: 300 });
    await sleep(100);
    await expect(connectRawClient(emulator.url)).rejects.toThrow(/ECONNREFUSED/);
    await restarted;
    expect(emulator.serverId).not.toBe(serverId);
    expect(resultOf(await (await kms.client(emulator)).request('ping')).value).toBe('pong');
  });

  it('setDelay slows every reply', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);
    emulator.setDelay(200);
    const started = performance.now();
    await client.request('ping');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    emulator.setDelay(0);
    const fast = performance.now();
    await client.request('ping');
    expect(performance.now() - fast).toBeLessThan(150);
  });

  it('reports CPU and memory that grow with the objects alive, unless setLoad fixes them', async () => {
    const emulator = await kms.start({ cpuCount: 8 });
    const client = await kms.client(emulator);
    const idleCpu = await managerValue(client, 'getUsedCpu', { interval: 0 });
    const idleMemory = await managerValue(client, 'getUsedMemory');
    const pipeline = await createPipeline(client);
    for (let i = 0; i < 4; i++) {
      await client.request('create', {
        type: 'WebRtcEndpoint',
        constructorParams: { mediaPipeline: pipeline },
      });
    }
    expect(await managerValue(client, 'getUsedCpu', { interval: 0 })).toBeGreaterThan(idleCpu);
    expect(await managerValue(client, 'getUsedMemory')).toBeGreaterThan(idleMemory);
    expect(await managerValue(client, 'getCpuCount')).toBe(8);

    emulator.setLoad({ cpuPercent: 275.5, memoryKiB: 1_048_576 });
    expect(await managerValue(client, 'getUsedCpu', { interval: 0 })).toBe(275.5);
    expect(await managerValue(client, 'getUsedMemory')).toBe(1_048_576);
    emulator.setLoad({ cpuPercent: null });
    expect(await managerValue(client, 'getUsedCpu', { interval: 0 })).toBeGreaterThan(idleCpu);
    expect(await managerValue(client, 'getUsedMemory')).toBe(1_048_576);
  });

  it('setObjectLimit makes create fail with 40009 NOT_ENOUGH_RESOURCES', async () => {
    const emulator = await kms.start({ objectLimit: 1 });
    const client = await kms.client(emulator);
    await createPipeline(client);
    const refused = await client.request('create', { type: 'MediaPipeline' });
    expectKurentoError(refused, 1, 40009, 'Reached KMS threads limit: 1', 'NOT_ENOUGH_RESOURCES');
    emulator.setObjectLimit(undefined);
    await createPipeline(client);
    expect(emulator.snapshot().objects).toBe(2);
  });

  it('runGc drops a disconnected session on its second pass and raises ObjectDestroyed to others', async () => {
    const emulator = await kms.start();
    const watcher = await kms.client(emulator);
    await watcher.request('subscribe', { type: 'ObjectDestroyed', object: SM });
    const owner = await kms.client(emulator);
    const pipeline = await createPipeline(owner);
    await owner.close();

    expect(emulator.runGc()).toEqual([]);
    const dropped = emulator.runGc();
    expect(dropped).toHaveLength(1);
    await watcher.waitForEvent('ObjectDestroyed', (e) => e.data.objectId === pipeline);
    // The watcher's socket is linked: its session survives any number of passes.
    emulator.runGc();
    expect(emulator.snapshot().sessions).toHaveLength(1);
  });

  it('can send events before the response of the request that raised them', async () => {
    const emulator = await kms.start({ eventTiming: 'before-response' });
    const client = await kms.client(emulator);
    await client.request('subscribe', { type: 'ObjectCreated', object: SM });
    const pipeline = await createPipeline(client);
    const order = client.messages.map((m) => (m.method === 'onEvent' ? 'event' : m.id));
    expect(order).toEqual([0, 'event', 1]);
    expect(emulator.snapshot().pipelines.map((p) => p.id)).toEqual([pipeline]);
  });
});
