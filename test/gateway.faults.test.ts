import { once } from 'node:events';
import type { Node, SessionPage } from '@kurento-fleet/contract';
import { connectRawClient } from '@kurento-fleet/kms-emulator';
import {
  kurentoCall as call,
  createKurentoClient,
  type KurentoClient,
  type KurentoError,
  type MediaElement,
  type MediaPipeline,
  type ServerManager,
  type WebRtcEndpoint,
} from '@kurento-fleet/kurento';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useGatewayFleet } from './support/gateway-fleet';
import { freePort, jsonLine } from './support/processes';
import { watchedPair } from './support/watched-pair';

/**
 * Faults with real processes: a KMS machine dies (SIGKILL of its emulator and its agent) under a connected
 * kurento-client; the gateway itself stops (SIGTERM) or crashes (SIGKILL) and comes back; the control plane is
 * killed and restarted under it.
 */
describe('the gateway under faults (processes: control plane, 3 KMS, agents, gateways)', () => {
  const env = useGatewayFleet({ a: 1, b: 1, c: 1 }, { GATEWAY_BACKEND_GRACE_MS: '500' });
  const clients: KurentoClient[] = [];
  beforeAll(() => env.start(), 120_000);
  afterAll(() => {
    for (const client of clients) client.close();
  });
  const open = (url: string) => {
    // strict, as kurento-client's own default: it checks the KMS's modules at connection.
    const client = createKurentoClient(url, { client: { strict: true } });
    clients.push(client);
    return client;
  };

  it('the npm client runs a whole session through the gateway without one console error', async () => {
    const spies = (['error', 'warn', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    try {
      const client = open(env.fleet.gateway.url);
      const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
      expect(await call((cb) => manager.getInfo(cb))).toMatchObject({
        version: '7.3.0',
      });
      const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      await call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb));
      await call<void>((cb) => pipeline.release(cb));
      expect(spies.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('a KMS machine dies: its calls fail within 1.5 s, its subscribers get Error, new pipelines go elsewhere, the client stays connected', async () => {
    const client = open(env.fleet.gateway.url);
    const events: string[] = [];
    for (const event of ['reconnected', 'disconnect', 'disconnected'])
      client.on(event, () => events.push(event));
    const pipelines: MediaPipeline[] = [];
    for (let i = 0; i < 3; i++)
      pipelines.push(await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb)));
    const nodes = await Promise.all(pipelines.map((p) => env.fleet.nodeOfSession(p.id)));
    expect([...nodes].sort()).toEqual(['a', 'b', 'c']);
    const onB = pipelines[nodes.indexOf('b')] as MediaPipeline;
    const endpoint = (await call<MediaElement>((cb) => onB.create('WebRtcEndpoint', cb))) as WebRtcEndpoint;
    const errors: Array<{ type: string; errorCode: number; timestampMillis: string }> = [];
    onB.on('Error', (event: { type: string; errorCode: number; timestampMillis: string }) =>
      errors.push(event),
    );
    await call<string>((cb) => onB.getName(cb)); // the subscription has been answered

    const killed = performance.now();
    await env.fleet.killNode('b');
    const failure = await call<string>((cb) => endpoint.getName(cb), 5000).then(
      () => undefined,
      (error: KurentoError) => error,
    );
    const failedAfter = performance.now() - killed;
    console.info(
      `a call on the dead KMS's objects failed after ${failedAfter.toFixed(0)} ms (${failure?.code})`,
    );
    expect(failedAfter).toBeLessThan(1500);
    expect(failure).toBeInstanceOf(Error);
    expect([40101, 40003]).toContain(failure?.code);
    await expect.poll(() => errors.length, { timeout: 3000 }).toBe(1);
    expect(errors[0]).toMatchObject({
      type: 'KMS_UNREACHABLE',
      errorCode: 40101,
      timestampMillis: expect.stringMatching(/^\d+$/),
    });
    expect(await call<string>((cb) => endpoint.getName(cb)).catch((error: KurentoError) => error.code)).toBe(
      40101,
    );

    // The fleet took b out at once (the gateway's report), so every new pipeline lands on a or c.
    const { body: b } = await env.fleet.cp.request<Node>('GET', '/v1/nodes/b');
    expect(b.ejectedUntil ?? b.health).not.toBe('up');
    const fresh: MediaPipeline[] = [];
    for (let i = 0; i < 6; i++)
      fresh.push(await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb)));
    const freshNodes = await Promise.all(fresh.map((p) => env.fleet.nodeOfSession(p.id)));
    expect(freshNodes.filter((n) => n === 'b')).toEqual([]);
    expect(new Set(freshNodes)).toEqual(new Set(['a', 'c']));
    // The pipelines elsewhere never noticed; the client's connection never dropped.
    for (const p of pipelines.filter((_, i) => nodes[i] !== 'b'))
      expect(await call<string>((cb) => p.getName(cb))).toBe(p.id);
    expect(events).toEqual([]);
    expect(await env.fleet.nodeOfSession(onB.id)).toBeUndefined();
    for (const p of fresh) await call<void>((cb) => p.release(cb));
  });

  it('a gateway that stops (SIGTERM, clean close frames) or crashes (SIGKILL) and comes back: sessions resume, pipelines stay routed', async () => {
    const port = await freePort();
    const env2 = { GATEWAY_ID: 'gw-restart' };
    let gateway = await env.fleet.startGateway({ port, env: env2 });
    const client = open(gateway.url);
    const { pipeline, sessionId, connected, connect } = await watchedPair(client);
    const raw = await connectRawClient(gateway.url);

    for (const how of ['SIGTERM', 'SIGKILL'] as const) {
      const reconnected = once(client, 'reconnected', { signal: AbortSignal.timeout(20_000) });
      if (how === 'SIGTERM') {
        expect(await gateway.process.stop()).toBe(0);
        // A close frame, never a reset: OpenVidu would take a reset for a crashed KMS.
        expect(await raw.closed).toStrictEqual({ code: 1001, reason: 'Gateway shutting down' });
        expect(gateway.process.lines.map(jsonLine).some((l) => l?.message === 'gateway stopped')).toBe(true);
      } else {
        await gateway.process.kill();
      }
      gateway = await env.fleet.startGateway({ port, env: env2 });
      expect(await reconnected, how).toEqual([true]);
      expect((client as unknown as { sessionId: string }).sessionId).toBe(sessionId);
      expect(await call<string>((cb) => pipeline.getName(cb))).toBe(pipeline.id);
      const before = connected();
      // Connecting again replaces the three connections: one ElementConnected each.
      await connect();
      await expect.poll(connected, { timeout: 5000 }).toBe(before + 3);
    }
    // The gateways' temporary placements are all gone: every gateway session is named by its pipeline.
    const { body } = await env.fleet.cp.request<SessionPage>(
      'GET',
      '/v1/sessions?limit=1000',
      undefined,
      env.fleet.appToken,
    );
    expect(
      body.sessions.filter((s: { sessionId: string }) => s.sessionId.startsWith('kurento-fleet-gateway~')),
    ).toEqual([]);
    await call<void>((cb) => pipeline.release(cb));
  });

  it('several gateways on one fleet: each serves the pipelines of the others, and one dying leaves the others alone', async () => {
    const other = await env.fleet.startGateway({ env: { GATEWAY_ID: 'gw-other' } });
    const here = await connectRawClient(env.fleet.gateway.url);
    const there = await connectRawClient(other.url);
    const created = await here.request('create', { type: 'MediaPipeline' });
    const pipeline = (created.result as { value: string }).value;
    expect((await there.request('invoke', { object: pipeline, operation: 'getName' })).result).toMatchObject({
      value: pipeline,
    });
    await other.process.kill();
    expect((await here.request('invoke', { object: pipeline, operation: 'getName' })).result).toMatchObject({
      value: pipeline,
    });
    const again = await here.request('create', { type: 'MediaPipeline' });
    expect(again.error).toBeUndefined();
    for (const id of [pipeline, (again.result as { value: string }).value])
      await here.request('release', { object: id });
    await here.close();
  });

  it('the control plane killed and restarted: pipelines keep working, new ones get a Kurento error meanwhile, a release made meanwhile reaches the fleet, nothing crashes', async () => {
    const c = await connectRawClient(env.fleet.gateway.url);
    const create = () => c.request('create', { type: 'MediaPipeline' });
    const pipelineOf = (answer: { result?: unknown }) => (answer.result as { value: string }).value;
    const [kept, released] = [pipelineOf(await create()), pipelineOf(await create())];
    expect(await env.fleet.nodeOfSession(released)).toMatch(/^[abc]$/);

    await env.fleet.killControlPlane();
    expect((await c.request('invoke', { object: kept, operation: 'getName' })).result).toMatchObject({
      value: kept,
    });
    const refused = await create();
    expect(refused.error).toMatchObject({ code: 40108, data: { type: 'MEDIA_OBJECT_NOT_AVAILABLE' } });
    expect(refused.error?.message).toContain('the control plane cannot be reached');
    expect((await c.request('release', { object: released })).error).toBeUndefined();
    // Away for longer than the SDK's own retries of one call (250 + 500 + 1000 ms): only the gateway's
    // pending writes can bring the release to the fleet now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const metrics = await fetch(`http://127.0.0.1:${env.fleet.gateway.port}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^fleet_gateway_pending_fleet_writes 1$/m);

    await env.fleet.restartControlPlane();
    await expect.poll(() => env.fleet.nodeOfSession(released), { timeout: 15_000 }).toBeUndefined();
    expect(await env.fleet.nodeOfSession(kept)).toMatch(/^[abc]$/);
    const after = await create();
    expect(after.error).toBeUndefined();
    expect(c.socket.readyState).toBe(1);
    expect(env.fleet.gateway.process.alive).toBe(true);
    for (const id of [kept, (after.result as { value: string }).value])
      await c.request('release', { object: id });
    await c.close();
  });
});
