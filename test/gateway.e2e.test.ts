import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { startTcpProxy, type TcpProxy } from '@kurento-fleet/gateway/testing';
import { connectRawClient } from '@kurento-fleet/kms-emulator';
import {
  type Callback,
  kurentoCall as call,
  createKurentoClient,
  type KurentoClientOptions,
  type MediaElement,
  type MediaObject,
  type MediaPipeline,
  type ServerManager,
  type WebRtcEndpoint,
} from '@kurento-fleet/kurento';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useGatewayFleet } from './support/gateway-fleet';
import { tempDir } from './support/temp-dir';
import { watchedPair } from './support/watched-pair';

/**
 * The real npm kurento-client, unchanged, through the gateway process, over a control plane, three KMS
 * emulator processes and their agents (weights 5, 1, 1).
 */
describe('the gateway with the real kurento-client (processes: control plane, 3 KMS, agents, gateway)', () => {
  const env = useGatewayFleet({ a: 5, b: 1, c: 1 });
  const clients: Array<{ close(): void }> = [];
  let proxy: TcpProxy | undefined;
  beforeAll(() => env.start(), 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await proxy?.close();
  });

  const open = (url = env.fleet.gateway.url, options?: KurentoClientOptions) => {
    const client = createKurentoClient(url, { client: options });
    clients.push(client);
    return client;
  };
  const pipelinesOn = async (id: string) => {
    const direct = await connectRawClient(`ws://127.0.0.1:${env.fleet.ports[id]}/kurento`);
    const answer = await direct.request('invoke', {
      object: 'manager_ServerManager',
      operation: 'getPipelines',
    });
    await direct.close();
    return (answer.result as { value: string[] }).value;
  };

  it('places 7 pipelines a a b a c a a, each on its KMS, its fleet session named by its id', async () => {
    const client = open();
    const pipelines: MediaPipeline[] = [];
    for (let i = 0; i < 7; i++)
      pipelines.push(await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb)));
    const nodes: Array<string | undefined> = [];
    for (const pipeline of pipelines) nodes.push(await env.fleet.nodeOfSession(pipeline.id));
    expect(nodes.join(' ')).toBe('a a b a c a a');
    for (const id of ['a', 'b', 'c']) {
      const expected = pipelines.filter((_, i) => nodes[i] === id).map((p) => p.id);
      expect((await pipelinesOn(id)).sort()).toEqual(expected.sort());
    }
    // Released through the gateway: gone from its KMS and from the fleet.
    for (const pipeline of pipelines) await call<void>((cb) => pipeline.release(cb));
    for (const pipeline of pipelines) expect(await env.fleet.nodeOfSession(pipeline.id)).toBeUndefined();
    expect(await pipelinesOn('a')).toEqual([]);
  });

  it('carries elements, SDP offers, ICE candidates and every event type the emulator emits', async () => {
    const client = open();
    const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
    const created: string[] = [];
    const destroyed: string[] = [];
    manager.on('ObjectCreated', (event: { object: { id?: string } | string }) =>
      created.push(typeof event.object === 'string' ? event.object : String(event.object?.id)),
    );
    manager.on('ObjectDestroyed', (event: { objectId: string }) => destroyed.push(event.objectId));

    const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    const caller = (await call<MediaElement>((cb) =>
      pipeline.create('WebRtcEndpoint', cb),
    )) as WebRtcEndpoint;
    const callee = (await call<MediaElement>((cb) =>
      pipeline.create('WebRtcEndpoint', cb),
    )) as WebRtcEndpoint;
    const seen: string[] = [];
    const candidates: unknown[] = [];
    caller.on('IceCandidateFound', (event: { candidate: unknown }) => {
      seen.push('IceCandidateFound');
      candidates.push(event.candidate);
    });
    caller.on('IceGatheringDone', () => seen.push('IceGatheringDone'));
    caller.on('ElementConnected', () => seen.push('ElementConnected'));
    caller.on('ElementDisconnected', () => seen.push('ElementDisconnected'));
    caller.on('MediaSessionStarted', () => seen.push('MediaSessionStarted'));
    // One endpoint's offer, the other's answer, as two browsers' would go.
    const offer = await call<string>((cb) => callee.generateOffer(cb));
    expect(offer).toMatch(/a=setup:actpass/);
    const answer = await call<string>((cb) => caller.processOffer(offer, cb));
    expect(answer).toMatch(/^v=0/);
    const answering = callee as unknown as {
      processAnswer(a: string, cb: Callback<string>): void;
    };
    await call<string>((cb) => answering.processAnswer(answer, cb));
    await call<void>((cb) => caller.gatherCandidates(cb));
    await call<void>((cb) => caller.connect(callee, cb));
    await call<void>((cb) => caller.disconnect(callee, cb));

    const recorder = await call<MediaElement>((cb) =>
      pipeline.create('RecorderEndpoint', { uri: 'file:///tmp/gateway-test.webm' }, cb),
    );
    const player = await call<MediaElement>((cb) =>
      pipeline.create('PlayerEndpoint', { uri: 'file:///tmp/in.webm' }, cb),
    );
    for (const type of ['Recording', 'Paused', 'Stopped', 'UriEndpointStateChanged']) {
      recorder.on(type, () => seen.push(`recorder ${type}`));
    }
    player.on('UriEndpointStateChanged', () => seen.push('player UriEndpointStateChanged'));
    const uri = (object: MediaObject, operation: string) =>
      call<void>((cb) => (object as unknown as Record<string, (cb: unknown) => void>)[operation]!(cb));
    await call<string>((cb) => recorder.getName(cb)); // the subscriptions above have been answered by now
    await uri(recorder, 'record');
    await uri(recorder, 'pause');
    await uri(recorder, 'stop');
    await uri(player, 'play');

    await call<void>((cb) => pipeline.release(cb));
    await expect.poll(() => destroyed.includes(pipeline.id), { timeout: 5000 }).toBe(true);
    expect(seen.filter((s) => s === 'IceCandidateFound').length).toBeGreaterThanOrEqual(1);
    expect(new Set(seen)).toEqual(
      new Set([
        'MediaSessionStarted',
        'IceCandidateFound',
        'IceGatheringDone',
        'ElementConnected',
        'ElementDisconnected',
        'recorder Recording',
        'recorder Paused',
        'recorder Stopped',
        'recorder UriEndpointStateChanged',
        'player UriEndpointStateChanged',
      ]),
    );
    expect(candidates[0]).toMatchObject({ candidate: expect.stringContaining('typ host') });
    expect(created).toEqual(
      expect.arrayContaining([pipeline.id, caller.id, callee.id, recorder.id, player.id]),
    );
    expect(destroyed).toEqual(expect.arrayContaining([caller.id, callee.id, recorder.id, player.id]));
  });

  it('answers ServerManager calls for the whole fleet', async () => {
    const client = open();
    const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
    const info = await call((cb) => manager.getInfo(cb));
    expect(info).toMatchObject({ type: 'KMS', version: '7.3.0' });
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push(await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb)));
    const listed = (await call<MediaPipeline[]>((cb) => manager.getPipelines(cb))).map((p) => p.id);
    expect(listed).toEqual(expect.arrayContaining(mine.map((p) => p.id)));
    // They live on two KMS, and one list shows them all.
    expect(new Set(await Promise.all(mine.map((p) => env.fleet.nodeOfSession(p.id)))).size).toBeGreaterThan(
      1,
    );
    const sessions = await call<string[]>((cb) => manager.getSessions(cb));
    expect(sessions).toContain((client as unknown as { sessionId: string }).sessionId);
    expect(await call<number>((cb) => manager.getCpuCount(cb))).toBeGreaterThanOrEqual(1);
    expect(await call<number>((cb) => manager.getUsedMemory(cb))).toBeGreaterThan(0);
    expect(typeof (await call<number>((cb) => manager.getUsedCpu(100, cb)))).toBe('number');
    for (const pipeline of mine) await call<void>((cb) => pipeline.release(cb));
  });

  it('resumes the session after its socket drops: reconnected(true), and subscriptions still deliver', async () => {
    proxy = await startTcpProxy(env.fleet.gateway.port);
    const client = open(`ws://127.0.0.1:${proxy.port}/kurento`);
    const { pipeline, sessionId, connected, connect } = await watchedPair(client);

    const reconnected = once(client, 'reconnected', { signal: AbortSignal.timeout(5000) });
    proxy.dropAll();
    expect(await reconnected).toEqual([true]);
    expect(proxy.accepted).toBe(2);
    expect((client as unknown as { sessionId: string }).sessionId).toBe(sessionId);
    await connect();
    await expect.poll(connected, { timeout: 5000 }).toBe(3);
    await call<void>((cb) => pipeline.release(cb));
  });

  it('runs implicit transactions: a pipeline and its elements made in one transaction, on one KMS', async () => {
    const client = open(env.fleet.gateway.url, { useImplicitTransactions: true });
    const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    const [first, second] = await Promise.all([
      call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb)),
      call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb)),
    ]);
    await call<void>((cb) => (first as MediaElement).connect(second as MediaElement, cb));
    await call<void>((cb) => pipeline.addTag('room', 'r-1', cb));
    const node = await env.fleet.nodeOfSession(pipeline.id);
    expect(node).toMatch(/^[abc]$/);
    expect(await pipelinesOn(node as string)).toContain(pipeline.id);
    expect(await call<string>((cb) => pipeline.getTag('room', cb))).toBe('r-1');
    await call<void>((cb) => pipeline.release(cb));
  });

  it('serves Prometheus metrics that promtool accepts', async () => {
    const response = await fetch(`http://127.0.0.1:${env.fleet.gateway.port}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const name of [
      'fleet_gateway_clients',
      'fleet_gateway_virtual_sessions',
      'fleet_gateway_pipelines',
      'fleet_gateway_requests_total{method="create",outcome="ok"}',
      'fleet_gateway_request_duration_seconds_bucket',
      'fleet_gateway_backend_reconnects_total',
      'fleet_gateway_placements_total{node="a",outcome="placed"}',
    ]) {
      expect(text).toContain(name);
    }
    const dir = tempDir('gateway-metrics-');
    try {
      writeFileSync(`${dir.path}/metrics.txt`, text);
      // promtool reads the exposition on stdin and exits non-zero on any problem.
      const out = execFileSync('sh', ['-c', `promtool check metrics < ${dir.path}/metrics.txt 2>&1`], {
        encoding: 'utf8',
      });
      expect(out.trim()).toBe('');
    } finally {
      dir.remove();
    }
    expect((await fetch(`http://127.0.0.1:${env.fleet.gateway.port}/healthz`)).status).toBe(200);
  });
});
