import type { Assignment, CreatedNode, CreatedToken } from '@kurento-fleet/contract';
/**
 * HTTP: new-session assignments (POST /v1/sessions with an app token, a fresh session id per request) and
 * sticky re-assignments (the same 1,000 ids over and over) on the real control plane process, against a bare
 * Hono hello-world route on the same @hono/node-server, with the same wrk settings, measured in turns.
 * Ratio = assignments/s ÷ hello-world req/s. Also the control plane's peak RSS under load.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/http.bench.ts
 *   BENCH_HTTP_SECONDS=5 BENCH_HTTP_REPEATS=1 BENCH_HTTP_CONNECTIONS=32 …   (shorter)
 *   BENCH_CPU_PROF=/tmp/prof …   (the control plane writes a .cpuprofile there when it stops)
 *   FLEET_DB_SYNCHRONOUS=normal …   (the non-durable option, for comparison)
 */
import { jsonLine, spawnTsx } from '../support/processes';
import { tempDir } from '../support/temp-dir';
import { startBenchPlane } from './support/plane';
import { report } from './support/report';
import { rssOf, sampleRss } from './support/rss';
import { envInt, loadNow, median } from './support/stats';
import { assignScript, requireWrk, runWrk, type WrkResult } from './support/wrk';

const SECONDS = envInt('BENCH_HTTP_SECONDS', 10);
const REPEATS = envInt('BENCH_HTTP_REPEATS', 3);
const CONNECTIONS = envInt('BENCH_HTTP_CONNECTIONS', 64);
const NODES = 10;
const STICKY_IDS = 1000;
const mib = (bytes: number) => bytes / 2 ** 20;

function check(name: string, result: WrkResult): WrkResult {
  if (result.failures > 0)
    throw new Error(`${name}: ${result.failures} failed requests; the figure is not valid`);
  return result;
}

async function main(): Promise<void> {
  requireWrk();
  const dir = tempDir('fleet-bench-http-');
  const synchronous = process.env.FLEET_DB_SYNCHRONOUS ?? 'full';
  const profileDir = process.env.BENCH_CPU_PROF;
  const plane = await startBenchPlane(
    {
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      // A day: one heartbeat keeps every node up for the whole run, so no agent traffic competes.
      FLEET_HEARTBEAT_TIMEOUT_MS: '86400000',
      FLEET_DB_SYNCHRONOUS: synchronous,
    },
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  const hello = spawnTsx('test/bench/support/hello-server.ts', [], { PORT: '0' });
  try {
    const helloUrl = String(
      jsonLine(await hello.waitForLine((l) => jsonLine(l)?.message === 'hello listening'))?.url,
    );
    for (let i = 0; i < NODES; i++) {
      const created = await plane.request<CreatedNode>('POST', '/v1/nodes', {
        id: `kms-${i}`,
        uri: `ws://10.0.0.${i}:8888/kurento`,
        weight: 1 + (i % 5),
      });
      if (created.status !== 201) throw new Error(`POST /v1/nodes: ${created.status}`);
      const beat = await plane.request(
        'POST',
        `/v1/nodes/kms-${i}/heartbeat`,
        { connected: true },
        created.body.agentToken,
      );
      if (beat.status >= 300) throw new Error(`heartbeat: ${beat.status} ${JSON.stringify(beat.body)}`);
    }
    const appToken = await plane.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'bench' });
    if (appToken.status !== 201) throw new Error(`POST /v1/tokens: ${appToken.status}`);
    const token = String(appToken.body.token);
    const sticky = assignScript(`${dir.path}/sticky.lua`, { token, prefix: 'sticky-', cycle: STICKY_IDS });
    for (let i = 0; i < STICKY_IDS; i++)
      await plane.request<Assignment>('POST', '/v1/sessions', { sessionId: `sticky-${i}` }, token);

    const pid = plane.process.child.pid ?? Number.NaN;
    const idleRss = rssOf(pid);
    let peakRss = idleRss;
    const runs = { hello: [] as WrkResult[], fresh: [] as WrkResult[], sticky: [] as WrkResult[] };
    const wrk = (url: string, script?: string) =>
      runWrk({ url, connections: CONNECTIONS, seconds: SECONDS, script });
    // A short warm-up of each: JIT, statement caches, TCP.
    await runWrk({ url: helloUrl, connections: CONNECTIONS, seconds: 1 });
    await runWrk({ url: plane.url, connections: CONNECTIONS, seconds: 1, script: sticky });
    for (let r = 0; r < REPEATS; r++) {
      runs.hello.push(check('hello', await wrk(helloUrl)));
      const fresh = assignScript(`${dir.path}/fresh-${r}.lua`, { token, prefix: `new-${r}-` });
      const sampler = sampleRss(pid);
      runs.fresh.push(check('new sessions', await wrk(plane.url, fresh)));
      peakRss = Math.max(peakRss, sampler.stop());
      runs.sticky.push(check('sticky', await wrk(plane.url, sticky)));
      process.stdout.write(
        `http: round ${r + 1}/${REPEATS}: hello ${runs.hello.at(-1)?.requestsPerSecond.toFixed(0)}, ` +
          `new ${runs.fresh.at(-1)?.requestsPerSecond.toFixed(0)}, sticky ${runs.sticky.at(-1)?.requestsPerSecond.toFixed(0)} req/s; load ${loadNow()}\n`,
      );
    }
    const rps = (results: WrkResult[]) => median(results.map((r) => r.requestsPerSecond));
    const p = (results: WrkResult[], key: 'p50Ms' | 'p99Ms') => median(results.map((r) => r[key]));
    // Each round's figure over the hello-world run just before it, so a burst of load on the shared machine
    // lowers both sides of a ratio; then the median over rounds.
    const ratio = (results: WrkResult[]) =>
      median(results.map((r, i) => r.requestsPerSecond / (runs.hello[i]?.requestsPerSecond ?? Number.NaN)));
    const base = rps(runs.hello);
    const baseline = { name: 'Hono hello-world, same server', value: base, unit: 'req/s' };
    const label = `${CONNECTIONS} connections, synchronous=${synchronous}`;
    const latency = (results: WrkResult[]) =>
      `p50 ${p(results, 'p50Ms').toFixed(2)} ms / p99 ${p(results, 'p99Ms').toFixed(2)} ms ` +
      `(hello ${p(runs.hello, 'p50Ms').toFixed(2)} / ${p(runs.hello, 'p99Ms').toFixed(2)} ms)`;
    report({
      bench: 'http',
      figure: `new-session assignments (${label})`,
      value: rps(runs.fresh),
      unit: 'req/s',
      baseline,
      ratio: ratio(runs.fresh),
      target: { ratio: 0.7 },
      note: latency(runs.fresh),
    });
    report({
      bench: 'http',
      figure: `sticky re-assignments (${label})`,
      value: rps(runs.sticky),
      unit: 'req/s',
      baseline,
      ratio: ratio(runs.sticky),
      target: { ratio: 0.8 },
      note: latency(runs.sticky),
    });
    report({
      bench: 'http',
      figure: `control plane peak RSS under load (synchronous=${synchronous})`,
      value: mib(peakRss),
      unit: 'MiB',
      baseline: { name: 'RSS idle after setup', value: mib(idleRss), unit: 'MiB' },
      note: `${REPEATS}×${SECONDS} s of new sessions (~${Math.round((rps(runs.fresh) * SECONDS * REPEATS) / 1000)}k stored)`,
    });
  } finally {
    await hello.stop();
    await plane.stop();
    dir.remove();
  }
}

await main();
