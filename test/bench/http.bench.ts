import type { Assignment, CreatedNode, CreatedToken } from '@kurento-fleet/contract';
/**
 * HTTP: new-session assignments (POST /v1/sessions with an app token, a fresh session id per request) and
 * sticky re-assignments (the same 1,000 ids over and over) on the real control plane process, each against a
 * bare Hono POST route that parses the same JSON body on the same @hono/node-server (support/hello-server.ts),
 * with the same wrk settings and the same wrk script, measured in turns. Ratio = assignments/s ÷ that route's
 * req/s in the run just before. A bare GET route stays on record as the second reference. Also the control
 * plane's peak RSS under load.
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
    const runs = {
      hello: [] as WrkResult[],
      jsonFresh: [] as WrkResult[],
      fresh: [] as WrkResult[],
      jsonSticky: [] as WrkResult[],
      sticky: [] as WrkResult[],
    };
    const wrk = (url: string, script?: string) =>
      runWrk({ url, connections: CONNECTIONS, seconds: SECONDS, script });
    // A short warm-up of each: JIT, statement caches, TCP.
    await runWrk({ url: helloUrl, connections: CONNECTIONS, seconds: 1 });
    await runWrk({ url: helloUrl, connections: CONNECTIONS, seconds: 1, script: sticky });
    await runWrk({ url: plane.url, connections: CONNECTIONS, seconds: 1, script: sticky });
    for (let r = 0; r < REPEATS; r++) {
      runs.hello.push(check('hello', await wrk(helloUrl)));
      // Each subject right after its baseline, with the very same wrk script (the same bodies and headers).
      const fresh = assignScript(`${dir.path}/fresh-${r}.lua`, { token, prefix: `new-${r}-` });
      runs.jsonFresh.push(check('JSON route (new ids)', await wrk(helloUrl, fresh)));
      const sampler = sampleRss(pid);
      runs.fresh.push(check('new sessions', await wrk(plane.url, fresh)));
      peakRss = Math.max(peakRss, sampler.stop());
      runs.jsonSticky.push(check('JSON route (sticky ids)', await wrk(helloUrl, sticky)));
      runs.sticky.push(check('sticky', await wrk(plane.url, sticky)));
      const last = (results: WrkResult[]) => results.at(-1)?.requestsPerSecond.toFixed(0);
      process.stdout.write(
        `http: round ${r + 1}/${REPEATS}: GET ${last(runs.hello)}; JSON ${last(runs.jsonFresh)} → new ` +
          `${last(runs.fresh)}; JSON ${last(runs.jsonSticky)} → sticky ${last(runs.sticky)} req/s; load ${loadNow()}\n`,
      );
    }
    const rps = (results: WrkResult[]) => median(results.map((r) => r.requestsPerSecond));
    const p = (results: WrkResult[], key: 'p50Ms' | 'p99Ms') => median(results.map((r) => r[key]));
    // Each round's figure over its baseline run just before it, so a burst of load on the shared machine
    // lowers both sides of a ratio; then the median over rounds.
    const ratio = (results: WrkResult[], baselines: WrkResult[]) =>
      median(results.map((r, i) => r.requestsPerSecond / (baselines[i]?.requestsPerSecond ?? Number.NaN)));
    const label = `${CONNECTIONS} connections, synchronous=${synchronous}`;
    const latency = (results: WrkResult[], baselines: WrkResult[], name: string) =>
      `p50 ${p(results, 'p50Ms').toFixed(2)} ms / p99 ${p(results, 'p99Ms').toFixed(2)} ms ` +
      `(${name} ${p(baselines, 'p50Ms').toFixed(2)} / ${p(baselines, 'p99Ms').toFixed(2)} ms)`;
    const jsonRoute = (results: WrkResult[]) => ({
      name: 'bare Hono POST route parsing the same JSON, same server',
      value: rps(results),
      unit: 'req/s',
    });
    const vsHello = (results: WrkResult[]) => `${(100 * ratio(results, runs.hello)).toFixed(1)}% of GET`;
    report({
      bench: 'http',
      figure: `new-session assignments (${label})`,
      value: rps(runs.fresh),
      unit: 'req/s',
      baseline: jsonRoute(runs.jsonFresh),
      ratio: ratio(runs.fresh, runs.jsonFresh),
      target: { ratio: 0.5 },
      note: `${latency(runs.fresh, runs.jsonFresh, 'JSON route')}; ${vsHello(runs.fresh)}`,
    });
    report({
      bench: 'http',
      figure: `sticky re-assignments (${label})`,
      value: rps(runs.sticky),
      unit: 'req/s',
      baseline: jsonRoute(runs.jsonSticky),
      ratio: ratio(runs.sticky, runs.jsonSticky),
      target: { ratio: 0.8 },
      note: `${latency(runs.sticky, runs.jsonSticky, 'JSON route')}; ${vsHello(runs.sticky)}`,
    });
    // The second reference: the JSON route itself against a bare GET, so both ceilings stay on record.
    report({
      bench: 'http',
      figure: `bare JSON POST route (${CONNECTIONS} connections)`,
      value: rps(runs.jsonFresh),
      unit: 'req/s',
      baseline: { name: 'Hono hello-world GET, same server', value: rps(runs.hello), unit: 'req/s' },
      ratio: ratio(runs.jsonFresh, runs.hello),
      note: latency(runs.jsonFresh, runs.hello, 'GET'),
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
