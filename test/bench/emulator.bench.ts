/**
 * KMS emulator benchmark, in both modes. Each server runs in its own process (with --expose-gc) so that its
 * heap, RSS and CPU hold nothing but itself; this process drives it and prints the figures.
 *
 * 1. Signalling only, at scale: 10,000 pipelines of 4 elements, memory per pipeline against the empty
 *    emulator, and getPipelines latency.
 * 2. Signalling only, SDP: WebRtcEndpoints answering Chromium's offer (processOffer + gatherCandidates),
 *    against getName on the same endpoints; heap per negotiated endpoint.
 * 3. Media mode: Chromium cameras looped back (hello-world) through the emulator, against a bare werift
 *    echo on the same browser and machine: CPU and RSS per stream, time to connected and to first frame.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/emulator.bench.ts [pipelines]
 *   BENCH_NEGOTIATIONS=1000 BENCH_MEDIA_STREAMS=3 BENCH_MEDIA_SECONDS=10 …   (defaults; BENCH_MEDIA_STREAMS=0 skips 3)
 */
import { existsSync } from 'node:fs';
import { connectRawClient, type JsonObject, type RawKmsClient } from '@kurento-fleet/kms-emulator';
import { forkServer, type ServerProcess } from '../../packages/kms-emulator/src/bench/child';
import { type MediaFigures, measureLoopbacks } from '../../packages/kms-emulator/src/bench/media';
import { measureNegotiation } from '../../packages/kms-emulator/src/bench/negotiation';
import { launchChromium } from '../support/browser';
import { report } from './support/report';
import { envInt } from './support/stats';

const PIPELINES = Number(process.argv[2] ?? 10_000);
// `pnpm bench` with BENCH_QUICK=1 shortens every benchmark.
const quick = process.env.BENCH_QUICK === '1';
const NEGOTIATIONS = envInt('BENCH_NEGOTIATIONS', quick ? 200 : 1000);
const MEDIA_STREAMS = envInt('BENCH_MEDIA_STREAMS', 3);
const MEDIA_SECONDS = envInt('BENCH_MEDIA_SECONDS', quick ? 3 : 10);
const SOCKETS = 8;
const IN_FLIGHT_PER_SOCKET = 32;
const GET_PIPELINES_CALLS = 20;

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

async function scale(server: ServerProcess): Promise<boolean> {
  const clients = await Promise.all(Array.from({ length: SOCKETS }, () => connectRawClient(server.url)));
  try {
    const baseline = await server.memory();
    const started = performance.now();
    const failures = await createAll(clients);
    const createSeconds = (performance.now() - started) / 1000;
    const loaded = await server.memory();

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
    // The same two figures as lines above, also as records for a runner that reads BENCH_OUT.
    for (const [figure, perPipeline, empty, full] of [
      ['heap per pipeline (4 elements)', heapPerPipeline, baseline.heapUsed, loaded.heapUsed],
      ['RSS per pipeline (4 elements)', rssPerPipeline, baseline.rss, loaded.rss],
    ] as const) {
      const note = `${PIPELINES} pipelines: ${mib(empty)} empty → ${mib(full)} loaded`;
      report({ bench: 'emulator', figure, value: perPipeline / 1024, unit: 'KiB', note });
    }
    return failures === 0 && listed === PIPELINES;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

async function negotiation(): Promise<void> {
  const server = await forkServer('emulator');
  try {
    const n = await measureNegotiation(server, NEGOTIATIONS);
    report({
      bench: 'emulator',
      figure: `signalling-only processOffer + gatherCandidates, p50 (${n.endpoints} endpoints)`,
      value: n.negotiateMs,
      unit: 'ms',
      baseline: { name: 'getName on the same endpoints, p50', value: n.getNameMs, unit: 'ms' },
      ratio: n.getNameMs / n.negotiateMs,
    });
    report({
      bench: 'emulator',
      figure: 'signalling-only heap per negotiated WebRtcEndpoint (with its pipeline)',
      value: n.heapPerNegotiatedEndpoint / 1024,
      unit: 'KiB',
      baseline: {
        name: 'the same endpoint before negotiating',
        value: n.heapPerEndpoint / 1024,
        unit: 'KiB',
      },
      ratio: n.heapPerEndpoint / n.heapPerNegotiatedEndpoint,
    });
  } finally {
    await server.stop();
  }
}

function reportMedia(emulator: MediaFigures, echo: MediaFigures): void {
  const perStream = (f: MediaFigures) => Math.max(0, f.loadedCpuPercent - f.idleCpuPercent) / f.streams;
  const rssPerStream = (f: MediaFigures) => (f.loadedRss - f.idleRss) / f.streams / 2 ** 20;
  const note = `${emulator.streams} streams of Chromium's fake camera (VP8 + Opus), CPU over ${MEDIA_SECONDS} s`;
  const figures: Array<[string, number, number, string]> = [
    ['media mode CPU per looped-back stream', perStream(emulator), perStream(echo), '% of a core'],
    ['media mode RSS per looped-back stream', rssPerStream(emulator), rssPerStream(echo), 'MiB'],
    ['media mode time to connected, median', emulator.connectedMs, echo.connectedMs, 'ms'],
    ['media mode time to first decoded frame, median', emulator.firstFrameMs, echo.firstFrameMs, 'ms'],
  ];
  for (const [figure, value, base, unit] of figures) {
    report({
      bench: 'emulator',
      figure,
      value,
      unit,
      baseline: { name: 'bare werift loopback, same browser', value: base, unit },
      // Costs: baseline ÷ value, so that 1.0 means "no dearer than werift alone" and higher is better.
      ratio: value > 0 ? base / value : undefined,
      note,
    });
  }
  const idle = `idle ${emulator.idleCpuPercent.toFixed(1)} % / ${(emulator.idleRss / 2 ** 20).toFixed(0)} MiB`;
  console.log(`  media mode emulator process: ${idle}, loaded ${emulator.loadedCpuPercent.toFixed(1)} %`);
}

async function media(): Promise<void> {
  if (MEDIA_STREAMS === 0) return;
  if (!existsSync('/usr/bin/chromium')) {
    console.log('media mode: skipped (no /usr/bin/chromium)');
    return;
  }
  const browser = await launchChromium({ webrtc: true });
  try {
    const windowMs = MEDIA_SECONDS * 1000;
    // The baseline first, then the emulator, on the same browser: both see the same machine.
    const echo = await measureLoopbacks(browser, 'echo', MEDIA_STREAMS, windowMs);
    const emulator = await measureLoopbacks(browser, 'emulator-media', MEDIA_STREAMS, windowMs);
    reportMedia(emulator, echo);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const server = await forkServer('emulator');
  let ok: boolean;
  try {
    ok = await scale(server);
  } finally {
    await server.stop();
  }
  await negotiation();
  await media();
  if (!ok) process.exitCode = 1;
}

await main();
