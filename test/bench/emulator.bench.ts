/**
 * KMS emulator capacity benchmark: one emulator holding 10,000 pipelines of 4 elements each.
 *
 * The emulator runs in a child process (with --expose-gc) so that its heap and RSS hold nothing but the
 * emulator; this process drives it over raw WebSockets with pipelined transactions and prints the figures.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/emulator.bench.ts [pipelines]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  connectRawClient,
  type JsonObject,
  type RawKmsClient,
  startKmsEmulator,
} from '@kurento-fleet/kms-emulator';

const PIPELINES = Number(process.argv[2] ?? 10_000);
const SOCKETS = 8;
const IN_FLIGHT_PER_SOCKET = 32;
const GET_PIPELINES_CALLS = 20;

interface Memory {
  heapUsed: number;
  rss: number;
}

type FromChild = { type: 'ready'; url: string } | { type: 'memory'; memory: Memory };

/** The emulator side: start, then answer memory probes (after a full GC) until told to stop. */
async function runEmulator(): Promise<void> {
  const emulator = await startKmsEmulator({ gcIntervalMs: 0 });
  const gc = (globalThis as { gc?: () => void }).gc;
  const send = (message: FromChild) => process.send?.(message);
  process.on('message', (message: string) => {
    if (message === 'memory') {
      gc?.();
      gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      send({ type: 'memory', memory: { heapUsed, rss } });
    } else if (message === 'stop') {
      void emulator.stop().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', url: emulator.url });
}

function nextMessage<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: FromChild) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as Extract<FromChild, { type: T }>);
    };
    child.on('message', listener);
  });
}

async function measure(child: ChildProcess): Promise<Memory> {
  const reply = nextMessage(child, 'memory');
  child.send('memory');
  return (await reply).memory;
}

/** One pipeline as an application builds it: 4 elements, two of them connected both ways, a session tag. */
function pipelineTransaction(index: number): JsonObject {
  const op = (id: number, method: string, params: JsonObject): JsonObject => ({
    jsonrpc: '2.0',
    id,
    method,
    params,
  });
  const inPipeline: JsonObject = { mediaPipeline: 'newref:0' };
  return {
    operations: [
      op(0, 'create', { type: 'MediaPipeline', constructorParams: {}, properties: {} }),
      op(1, 'create', { type: 'WebRtcEndpoint', constructorParams: inPipeline, properties: {} }),
      op(2, 'create', { type: 'WebRtcEndpoint', constructorParams: inPipeline, properties: {} }),
      op(3, 'create', {
        type: 'RecorderEndpoint',
        constructorParams: { ...inPipeline, uri: `file:///rec/${index}.webm` },
      }),
      op(4, 'create', { type: 'PassThrough', constructorParams: inPipeline, properties: {} }),
      op(5, 'invoke', { object: 'newref:1', operation: 'connect', operationParams: { sink: 'newref:2' } }),
      op(6, 'invoke', { object: 'newref:2', operation: 'connect', operationParams: { sink: 'newref:1' } }),
      op(7, 'invoke', {
        object: 'newref:0',
        operation: 'addTag',
        operationParams: { key: 'session', value: `s-${index}` },
      }),
    ],
  };
}

async function createAll(clients: RawKmsClient[]): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async (client: RawKmsClient) => {
    while (next < PIPELINES) {
      const index = next++;
      const response = await client.request('transaction', pipelineTransaction(index), 60_000);
      const results = (response.result as { value?: Array<{ error?: unknown }> } | undefined)?.value;
      if (response.error || results?.length !== 8 || results.some((r) => r.error)) failures++;
    }
  };
  await Promise.all(
    clients.flatMap((client) => Array.from({ length: IN_FLIGHT_PER_SOCKET }, () => worker(client))),
  );
  return failures;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;

async function runBenchmark(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--emulator'], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await nextMessage(child, 'ready');
  const clients = await Promise.all(Array.from({ length: SOCKETS }, () => connectRawClient(url)));
  try {
    const baseline = await measure(child);

    const started = performance.now();
    const failures = await createAll(clients);
    const createSeconds = (performance.now() - started) / 1000;
    const loaded = await measure(child);

    const probe = clients[0] as RawKmsClient;
    const latencies: number[] = [];
    let listed = 0;
    let bytes = 0;
    for (let i = 0; i < GET_PIPELINES_CALLS; i++) {
      const t0 = performance.now();
      const response = await probe.request(
        'invoke',
        { object: 'manager_ServerManager', operation: 'getPipelines' },
        30_000,
      );
      latencies.push(performance.now() - t0);
      const value = (response.result as { value: string[] }).value;
      listed = value.length;
      bytes = JSON.stringify(response).length;
    }
    latencies.sort((a, b) => a - b);

    const objects = PIPELINES * 5;
    const heapPerPipeline = (loaded.heapUsed - baseline.heapUsed) / PIPELINES;
    const rssPerPipeline = (loaded.rss - baseline.rss) / PIPELINES;
    console.log(`KMS emulator benchmark: ${PIPELINES} pipelines × 4 elements (${objects} media objects)`);
    console.log(
      `  created in            ${createSeconds.toFixed(2)} s (${(objects / createSeconds).toFixed(0)} objects/s, ${SOCKETS} sockets × ${IN_FLIGHT_PER_SOCKET} transactions in flight), ${failures} failed`,
    );
    console.log(
      `  heap used             ${mib(baseline.heapUsed)} empty → ${mib(loaded.heapUsed)} loaded: ${kib(heapPerPipeline)} per pipeline (${kib(heapPerPipeline / 5)} per object)`,
    );
    console.log(
      `  RSS                   ${mib(baseline.rss)} empty → ${mib(loaded.rss)} loaded: ${kib(rssPerPipeline)} per pipeline`,
    );
    console.log(
      `  getPipelines          ${listed} ids, ${(bytes / 1024).toFixed(0)} KiB response; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms over ${GET_PIPELINES_CALLS} calls`,
    );
    if (failures > 0 || listed !== PIPELINES) process.exitCode = 1;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

if (process.argv.includes('--emulator')) await runEmulator();
else await runBenchmark();
