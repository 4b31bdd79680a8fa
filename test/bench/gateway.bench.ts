/**
 * KMS gateway benchmark: the latency a call gains by going through the gateway, against the same call sent
 * straight to the KMS in the same run, and the gateway's memory per 1,000 pipelines.
 *
 * Processes: a control plane, a KMS emulator and the gateway (each a child process, the gateway with
 * --expose-gc so that its heap can be read after a full collection); this process drives both paths with raw
 * JSON-RPC clients, one call at a time, in alternating rounds so that the machine's load hits both alike.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/gateway.bench.ts
 *   BENCH_GATEWAY_CALLS=2000 BENCH_GATEWAY_PIPELINES=5000 npx -y pnpm@10.34.8 exec tsx test/bench/gateway.bench.ts
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FleetClient } from '@kurento-fleet/client';
import type { CreatedNode, CreatedToken } from '@kurento-fleet/contract';
import { sdkFleet, startGateway } from '@kurento-fleet/gateway';
import {
  connectRawClient,
  type JsonObject,
  type RawKmsClient,
  startKmsEmulator,
} from '@kurento-fleet/kms-emulator';
import { createKurentoClient, kurentoCall, type MediaObject } from '@kurento-fleet/kurento';
import { silentLogger } from '@kurento-fleet/log';
import { nextMessage, stopChild } from '@kurento-fleet/processes';
import { WebSocket, WebSocketServer } from 'ws';
import { type ControlPlane, startControlPlane } from '../support/control-plane';
import { tempDir } from '../support/temp-dir';
import { report } from './support/report';
import { envInt, loadNow, median, percentile } from './support/stats';

const CALLS = envInt('BENCH_GATEWAY_CALLS', 2000);
const ROUNDS = envInt('BENCH_REPEATS', 5);
const PIPELINES = envInt('BENCH_GATEWAY_PIPELINES', 5000);

type FromChild = { type: 'ready'; url: string } | { type: 'memory'; heapUsed: number; rss: number };
type ToChild = 'memory' | 'stop';

/** A child process: the emulator, or the gateway on the given control plane. */
async function runChild(role: string): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  let stop: () => Promise<void>;
  if (role === 'emulator') {
    const emulator = await startKmsEmulator({ gcIntervalMs: 0 });
    stop = () => emulator.stop();
    send({ type: 'ready', url: emulator.url });
  } else if (role === 'relay') {
    const relay = await startRelay(process.env.BENCH_KMS_URL as string);
    stop = relay.stop;
    send({ type: 'ready', url: relay.url });
  } else {
    const fleet = sdkFleet(
      new FleetClient({
        url: process.env.BENCH_FLEET_URL as string,
        token: process.env.BENCH_FLEET_TOKEN as string,
      }),
    );
    const gateway = await startGateway({ fleet, gatewayId: 'bench', port: 0, log: silentLogger });
    stop = () => gateway.stop();
    send({ type: 'ready', url: gateway.url });
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: ToChild) => {
    if (message === 'memory') {
      gc?.();
      gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      send({ type: 'memory', heapUsed, rss });
    } else {
      void stop().then(() => process.exit(0));
    }
  });
}

/**
 * The floor of any WebSocket proxy in Node: frames passed on verbatim, one upstream socket per client, no
 * parsing. What the gateway adds beyond it is its own work.
 */
async function startRelay(kmsUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(server, 'listening');
  server.on('connection', (client) => {
    const upstream = new WebSocket(kmsUrl, { perMessageDeflate: false });
    const queued: string[] = [];
    upstream.on('open', () => {
      for (const frame of queued.splice(0)) upstream.send(frame);
    });
    client.on('message', (data) => {
      const text = data.toString();
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
    upstream.on('message', (data) => client.send(data.toString()));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/kurento`,
    stop: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

function start(
  role: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_GATEWAY_PROFILE=<dir>: a CPU profile of the gateway process (read it with profile-summary.ts).
  const profile = process.env.BENCH_GATEWAY_PROFILE;
  const profiling = role === 'gateway' && profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = fork(fileURLToPath(import.meta.url), [role], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...profiling],
    env: { ...process.env, ...env },
  });
  return nextMessage<FromChild, 'ready'>(child, 'ready').then((ready) => ({ child, url: ready.url }));
}

/**
 * A bare caller on a raw client's socket: the raw client keeps every message and scans them on each wait,
 * which would cost more than the hop being measured once thousands of answers have arrived.
 */
function leanCaller(client: RawKmsClient): (method: string, params: JsonObject) => Promise<JsonObject> {
  const pending = new Map<number, (message: JsonObject) => void>();
  let nextId = 1_000_000;
  client.socket.removeAllListeners('message');
  client.socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as JsonObject;
    const id = message.id as number;
    pending.get(id)?.(message);
    pending.delete(id);
  });
  return (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      client.socket.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    });
}

/** `count` calls one after another (the next leaves when the answer is in); each one's latency in ms. */
async function timeCalls(
  call: (method: string, params: JsonObject) => Promise<JsonObject>,
  object: string,
  count: number,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await call('invoke', { object, operation: 'getName' });
    latencies.push(performance.now() - started);
    if (response.error) throw new Error(`getName failed: ${JSON.stringify(response.error)}`);
  }
  return latencies;
}

/** An application's view: the real npm kurento-client, a proxy of the pipeline, getName by callback. */
async function npmCaller(url: string, pipelineId: string): Promise<{ call(): Promise<void>; close(): void }> {
  const client = createKurentoClient(url);
  const pipeline = await kurentoCall<MediaObject>((cb) => client.getMediaobjectById(pipelineId, cb));
  return {
    call: () => kurentoCall<string>((cb) => pipeline.getName(cb)).then(() => undefined),
    close: () => client.close(),
  };
}

async function timeNpm(caller: { call(): Promise<void> }, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await caller.call();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

async function createPipeline(client: RawKmsClient): Promise<string> {
  const response = await client.request('create', { type: 'MediaPipeline' }, 30_000);
  const value = (response.result as { value?: string } | undefined)?.value;
  if (!value) throw new Error(`create failed: ${JSON.stringify(response.error)}`);
  return value;
}

async function main(): Promise<void> {
  const dir = tempDir('fleet-bench-gateway-');
  let plane: ControlPlane | undefined;
  const children: ChildProcess[] = [];
  try {
    plane = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_HEARTBEAT_INTERVAL_MS: '60000',
      FLEET_HEARTBEAT_TIMEOUT_MS: '3600000',
    });
    const emulator = await start('emulator');
    children.push(emulator.child);
    const node = await plane.request<CreatedNode>('POST', '/v1/nodes', {
      id: 'kms',
      uri: emulator.url,
      weight: 1,
    });
    await plane.request('POST', '/v1/nodes/kms/heartbeat', { connected: true }, node.body.agentToken);
    const token = (await plane.request<CreatedToken>('POST', '/v1/tokens', { role: 'app' })).body
      .token as string;
    const gateway = await start('gateway', { BENCH_FLEET_URL: plane.url, BENCH_FLEET_TOKEN: token });
    children.push(gateway.child);
    const relay = await start('relay', { BENCH_KMS_URL: emulator.url });
    children.push(relay.child);

    // Latency: one pipeline, asked for its name straight and through the gateway, in alternating rounds.
    const direct = await connectRawClient(emulator.url);
    const through = await connectRawClient(gateway.url);
    const pipeline = await createPipeline(through);
    const [straightCall, gatedCall, relayedCall] = [
      leanCaller(direct),
      leanCaller(await connectRawClient(gateway.url)),
      leanCaller(await connectRawClient(relay.url)),
    ];
    for (const call of [straightCall, gatedCall, relayedCall]) await timeCalls(call, pipeline, 500); // warm-up
    const straight: number[] = [];
    const gated: number[] = [];
    const p50s: Array<{ direct: number; gateway: number; relay: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const d = await timeCalls(straightCall, pipeline, CALLS);
      const g = await timeCalls(gatedCall, pipeline, CALLS);
      const r = await timeCalls(relayedCall, pipeline, CALLS);
      straight.push(...d);
      gated.push(...g);
      p50s.push({ direct: median(d), gateway: median(g), relay: median(r) });
    }
    const directP50 = median(p50s.map((r) => r.direct));
    const gatewayP50 = median(p50s.map((r) => r.gateway));
    const relayP50 = median(p50s.map((r) => r.relay));
    const added = gatewayP50 - directP50;
    const note = `p99 direct ${percentile(straight, 99).toFixed(3)} ms, through ${percentile(gated, 99).toFixed(3)} ms; ${ROUNDS}×${CALLS} calls each (invoke getName), load ${loadNow()}`;
    report({
      bench: 'gateway',
      figure: 'call latency through the gateway (p50)',
      value: gatewayP50,
      unit: 'ms',
      baseline: { name: 'straight to the KMS (p50)', value: directP50, unit: 'ms' },
      ratio: directP50 / gatewayP50,
      // p50 through the gateway at most 1.3× the direct one.
      target: { ratio: 1 / 1.3 },
      note,
    });
    report({
      bench: 'gateway',
      figure: 'call latency through a bare relay (p50)',
      value: relayP50,
      unit: 'ms',
      baseline: { name: 'straight to the KMS (p50)', value: directP50, unit: 'ms' },
      ratio: directP50 / relayP50,
      note: 'a WebSocket relay that passes frames on without reading them: the floor of any proxy hop in Node',
    });
    report({
      bench: 'gateway',
      figure: 'latency added per call (p50)',
      value: added,
      unit: 'ms',
      baseline: { name: 'allowed', value: 0.3, unit: 'ms' },
      ratio: added / 0.3,
      target: { ratio: 1, atMost: true },
    });
    await direct.close();

    // Memory, before the npm clients' phase: no session may end (and free memory) while it is measured. The
    // gateway's heap after a full GC, before and after PIPELINES more pipelines. A long warm-up
    // first: the code V8 optimizes on the placement path (SDK, HTTP client) sits in the same heap, and would
    // otherwise be counted as pipelines (a heap snapshot diff showed it as most of a short run's growth).
    for (let i = 0; i < 1000; i++) await createPipeline(through);
    gateway.child.send('memory');
    const before = await nextMessage<FromChild, 'memory'>(gateway.child, 'memory');
    const placed = performance.now();
    for (let i = 0; i < PIPELINES; i++) await createPipeline(through);
    const placeMs = (performance.now() - placed) / PIPELINES;
    gateway.child.send('memory');
    const after = await nextMessage<FromChild, 'memory'>(gateway.child, 'memory');
    const perThousand = ((after.heapUsed - before.heapUsed) / PIPELINES) * 1000;
    report({
      bench: 'gateway',
      figure: 'gateway heap per 1,000 pipelines',
      value: perThousand / 1024,
      unit: 'KiB',
      note: `${PIPELINES} pipelines of one client (route, its user, its fleet session name); RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MiB; a create MediaPipeline (placement and rename through the control plane) took ${placeMs.toFixed(2)} ms on average`,
    });
    // The same through the real npm kurento-client, as an application sees it.
    const npmDirect = await npmCaller(emulator.url, pipeline);
    const npmGated = await npmCaller(gateway.url, pipeline);
    await timeNpm(npmDirect, 500);
    await timeNpm(npmGated, 500);
    const npmP50s: Array<{ direct: number; gateway: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      npmP50s.push({
        direct: median(await timeNpm(npmDirect, CALLS)),
        gateway: median(await timeNpm(npmGated, CALLS)),
      });
    }
    const npmDirectP50 = median(npmP50s.map((r) => r.direct));
    const npmGatewayP50 = median(npmP50s.map((r) => r.gateway));
    report({
      bench: 'gateway',
      figure: 'call latency through the gateway, npm kurento-client (p50)',
      value: npmGatewayP50,
      unit: 'ms',
      baseline: { name: 'kurento-client straight to the KMS (p50)', value: npmDirectP50, unit: 'ms' },
      ratio: npmDirectP50 / npmGatewayP50,
      target: { ratio: 1 / 1.3 },
      note: `added ${(npmGatewayP50 - npmDirectP50).toFixed(3)} ms; pipeline.getName(callback), as an application calls it`,
    });
    npmDirect.close();
    npmGated.close();

    await through.close();
  } finally {
    await plane?.kill();
    await Promise.all(children.map(stopChild));
    dir.remove();
  }
}

const role = process.argv[2];
if (role) await runChild(role);
else await main();
