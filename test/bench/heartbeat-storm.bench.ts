import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Assignment, CreatedNode, CreatedToken, Heartbeat } from '@kurento-fleet/contract';
import { type ControlPlane, fleetApi, nextMessage, type Runtime, stopChild } from '@kurento-fleet/processes';
/**
 * A heartbeat storm: placement latency (POST /v1/sessions, a new session each, at a modest steady rate from
 * one client, not saturation) while 200 nodes each send the agent's real heartbeat body every 100 ms (2,000
 * heartbeats/s offered), against the same placements without the storm, in turns, in the same run. On the
 * real control plane process over loopback: Node on a SQLite file (synchronous=full), and workerd + D1 (the
 * `start:edge` entry, miniflare). Each node has at most one heartbeat in flight, as an agent does: a tick that
 * finds the last one unanswered is skipped, so the heartbeats/s achieved show what the server kept up with.
 * The storm comes from a child process (agents are other machines): in this one, its 2,000 answers a second
 * would queue the placements' answers behind them and add the client's delay to the server's.
 *
 *   npx -y pnpm@10.34.8 bench:storm
 *   BENCH_STORM_RUNTIMES=node BENCH_ROUNDS=2 BENCH_STORM_SECONDS=3 …   (shorter)
 *   BENCH_CPU_PROF=/tmp/prof …   (the Node control plane writes a .cpuprofile there when it stops)
 */
import { tempDir } from '../support/temp-dir';
import { startBenchPlane } from './support/plane';
import { report } from './support/report';
import { envInt, loadNow, median, percentile } from './support/stats';

const NODES = envInt('BENCH_STORM_NODES', 200);
const HEARTBEAT_EVERY_MS = 100;
const PLACEMENTS_PER_SECOND = envInt('BENCH_STORM_PLACEMENTS', 50);
const SECONDS = envInt('BENCH_STORM_SECONDS', 5);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
/** The storm runs this long before placements are measured in it, so they see it at its steady state. */
const STORM_WARMUP_MS = 1000;
const runtimes = (process.env.BENCH_STORM_RUNTIMES ?? 'node,edge').split(',') as Runtime[];
const runtimeName: Record<Runtime, string> = { node: 'Node, SQLite file', edge: 'workerd + D1' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What an agent sends while its KMS is up: the probe's report and the agent's own info. */
const heartbeatBody = (pipelines: number): Heartbeat => ({
  connected: true,
  kms: {
    version: '7.3.0',
    cpuCount: 8,
    usedCpuPercent: 12.5,
    usedMemoryKiB: 1_048_576,
    pipelines,
    startedAt: '2026-01-01T00:00:00.000Z',
  },
  agent: { version: '0.1.0', startedAt: '2026-01-01T00:00:00.000Z' },
});

interface Node {
  id: string;
  token: string;
}

interface Counts {
  sent: number;
  accepted: number;
  failed: number;
  skipped: number;
}
type FromStorm = { type: 'started' } | ({ type: 'counts' } & Counts);
type ToStorm = 'start' | 'counts' | 'stop';

/** Starts every node's heartbeat loop; stop() ends them and waits for the ones in flight. */
function startStorm(url: string, nodes: readonly Node[]) {
  const request = fleetApi(url, '');
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  let skipped = 0;
  const inFlight = new Set<Promise<void>>();
  const busy = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const beat = (node: Node) => {
    if (stopped) return;
    if (busy.has(node.id)) {
      skipped++;
      return;
    }
    busy.add(node.id);
    sent++;
    const call = request('POST', `/v1/nodes/${node.id}/heartbeat`, heartbeatBody(3), node.token)
      .then(
        ({ status }) => (status < 300 ? accepted++ : failed++),
        () => failed++,
      )
      .then(() => {
        busy.delete(node.id);
        inFlight.delete(call);
      });
    inFlight.add(call);
  };
  // Spread over the interval, as independent agents would be.
  nodes.forEach((node, i) => {
    const start = setTimeout(
      () => {
        beat(node);
        timers.push(setInterval(() => beat(node), HEARTBEAT_EVERY_MS));
      },
      (i * HEARTBEAT_EVERY_MS) / nodes.length,
    );
    timers.push(start);
  });
  return {
    counts: (): Counts => ({ sent, accepted, failed, skipped }),
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}

/** The child process: one storm at a time, started and stopped by the parent, counts on demand. */
function runStormChild(): void {
  const send = (message: FromStorm) => process.send?.(message);
  const nodes = JSON.parse(process.env.BENCH_STORM_AGENTS ?? '[]') as Node[];
  let storm: ReturnType<typeof startStorm> | undefined;
  process.on('message', (message: ToStorm) => {
    if (message === 'start') {
      storm = startStorm(process.env.BENCH_STORM_URL ?? '', nodes);
      send({ type: 'started' });
    } else if (message === 'counts') {
      send({ type: 'counts', ...(storm?.counts() ?? { sent: 0, accepted: 0, failed: 0, skipped: 0 }) });
    } else if (message === 'stop') {
      const ending = storm;
      storm = undefined;
      void (ending?.stop() ?? Promise.resolve()).then(() => process.exit(0));
    }
  });
  send({ type: 'counts', sent: 0, accepted: 0, failed: 0, skipped: 0 });
}

/** The storm child of one runtime's measurement, driven over IPC. */
async function forkStorm(url: string, nodes: readonly Node[]) {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['storm'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_STORM_URL: url, BENCH_STORM_AGENTS: JSON.stringify(nodes) },
  });
  await nextMessage<FromStorm, 'counts'>(child, 'counts');
  const ask = async (message: ToStorm) => child.send(message);
  return {
    async start() {
      const started = nextMessage<FromStorm, 'started'>(child, 'started');
      await ask('start');
      await started;
    },
    async counts(): Promise<Counts> {
      const counts = nextMessage<FromStorm, 'counts'>(child, 'counts');
      await ask('counts');
      return counts;
    },
    stop: () => stopChild(child),
  };
}

/** Places new sessions at a steady rate for `seconds`, open loop; the latency of each, in ms. */
async function placeAtRate(plane: ControlPlane, token: string, prefix: string): Promise<number[]> {
  const latencies: number[] = [];
  const calls: Promise<void>[] = [];
  const count = PLACEMENTS_PER_SECOND * SECONDS;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // On schedule, whether or not the earlier ones have answered: a slow answer does not slow the offer.
    const due = start + (i * 1000) / PLACEMENTS_PER_SECOND;
    await sleep(Math.max(0, due - performance.now()));
    const sent = performance.now();
    calls.push(
      plane
        .request<Assignment>('POST', '/v1/sessions', { sessionId: `${prefix}${i}` }, token)
        .then(({ status }) => {
          if (status !== 201) throw new Error(`POST /v1/sessions: ${status}; the figure is not valid`);
          latencies.push(performance.now() - sent);
        }),
    );
  }
  await Promise.all(calls);
  return latencies;
}

async function setUp(plane: ControlPlane): Promise<{ nodes: Node[]; token: string }> {
  const nodes: Node[] = [];
  for (let i = 0; i < NODES; i++) {
    const id = `kms-${i}`;
    const created = await plane.request<CreatedNode>('POST', '/v1/nodes', {
      id,
      uri: `ws://10.0.${Math.floor(i / 250)}.${i % 250}:8888/kurento`,
      weight: 1 + (i % 5),
    });
    if (created.status !== 201) throw new Error(`POST /v1/nodes: ${created.status}`);
    const node = { id, token: created.body.agentToken };
    const beat = await plane.request('POST', `/v1/nodes/${id}/heartbeat`, heartbeatBody(0), node.token);
    if (beat.status >= 300) throw new Error(`heartbeat: ${beat.status} ${JSON.stringify(beat.body)}`);
    nodes.push(node);
  }
  const appToken = await plane.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'bench' });
  if (appToken.status !== 201) throw new Error(`POST /v1/tokens: ${appToken.status}`);
  return { nodes, token: String(appToken.body.token) };
}

async function measure(runtime: Runtime): Promise<void> {
  const dir = tempDir('fleet-bench-storm-');
  const profileDir = process.env.BENCH_CPU_PROF;
  const plane = await startBenchPlane(
    {
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_EDGE_STATE_DIR: dir.path,
      // A day: the nodes stay up through the quiet turns, when no heartbeat comes.
      FLEET_HEARTBEAT_TIMEOUT_MS: '86400000',
      FLEET_DB_SYNCHRONOUS: process.env.FLEET_DB_SYNCHRONOUS ?? 'full',
    },
    profileDir && runtime === 'node' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    runtime,
  );
  try {
    const { nodes, token } = await setUp(plane);
    // A warm-up of both: JIT, statement caches, connections.
    await placeAtRate(plane, token, 'warm-');
    const quiet: number[][] = [];
    const stormy: number[][] = [];
    const rates: number[] = [];
    let failedBeats = 0;
    for (let round = 0; round < ROUNDS; round++) {
      quiet.push(await placeAtRate(plane, token, `quiet-${round}-`));
      const storm = await forkStorm(plane.url, nodes);
      try {
        await storm.start();
        await sleep(STORM_WARMUP_MS);
        const before = await storm.counts();
        const t0 = performance.now();
        stormy.push(await placeAtRate(plane, token, `storm-${round}-`));
        const after = await storm.counts();
        rates.push(((after.accepted - before.accepted) * 1000) / (performance.now() - t0));
        failedBeats += after.failed;
        process.stdout.write(
          `storm (${runtime}): round ${round + 1}/${ROUNDS}: p99 quiet ${percentile(quiet[round] ?? [], 99).toFixed(1)} ms, ` +
            `storm ${percentile(stormy[round] ?? [], 99).toFixed(1)} ms; ${rates[round]?.toFixed(0)} heartbeats/s, ` +
            `${after.skipped - before.skipped} ticks skipped (one in flight), ${after.failed} failed; load ${loadNow()}\n`,
        );
      } finally {
        // Its heartbeats in flight are answered before the next quiet turn starts.
        await storm.stop();
      }
    }
    const p = (rounds: number[][], at: number) =>
      median(rounds.map((latencies) => percentile(latencies, at)));
    const offered = (NODES * 1000) / HEARTBEAT_EVERY_MS;
    const where = runtimeName[runtime];
    report({
      bench: 'storm',
      figure: `placement p99 during ${NODES} nodes × ${1000 / HEARTBEAT_EVERY_MS} heartbeats/s (${where})`,
      value: p(stormy, 99),
      unit: 'ms',
      baseline: { name: 'placement p99 without heartbeats', value: p(quiet, 99), unit: 'ms' },
      ratio: median(stormy.map((latencies, i) => percentile(latencies, 99) / percentile(quiet[i] ?? [], 99))),
      target: { ratio: 2, atMost: true },
      note:
        `ratio = storm p99 ÷ quiet p99 (each round's, median of ${ROUNDS}); p50 ${p(stormy, 50).toFixed(1)} vs ` +
        `${p(quiet, 50).toFixed(1)} ms; ${PLACEMENTS_PER_SECOND} new sessions/s for ${SECONDS} s a turn`,
    });
    report({
      bench: 'storm',
      figure: `heartbeats/s achieved in the storm (${where})`,
      value: median(rates),
      unit: 'heartbeats/s',
      baseline: { name: 'offered', value: offered, unit: 'heartbeats/s' },
      ratio: median(rates) / offered,
      note: `at most one in flight per node, as an agent; ${failedBeats} failed`,
    });
  } finally {
    await plane.stop();
    dir.remove();
  }
}

if (process.argv[2] === 'storm') runStormChild();
else for (const runtime of runtimes) await measure(runtime);
