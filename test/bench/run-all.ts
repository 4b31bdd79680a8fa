/**
 * `pnpm bench`: every benchmark in sequence, each in its own process, then bench/RESULTS.md. Not part of
 * `pnpm test` (the figures need a quiet machine and minutes, and the HTTP one needs wrk).
 *
 *   npx -y pnpm@10.34.8 bench
 *   BENCH_SKIP=http,http-normal,emulator npx -y pnpm@10.34.8 bench     (leave some out)
 *   BENCH_QUICK=1 npx -y pnpm@10.34.8 bench                (shorter runs everywhere, ~2 min)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { repoRoot } from '../support/processes';
import { agentFigures, emulatorFigures } from './support/external';
import type { Figure } from './support/report';
import { writeResults } from './support/results-file';

const quick = process.env.BENCH_QUICK === '1';
/** Defaults for a full run under ten minutes on two cores; BENCH_QUICK shortens every one. */
const quickEnv: Record<string, string> = quick
  ? {
      BENCH_REPEATS: '3',
      BENCH_DB_OPS: '500',
      BENCH_SCALE_OPS: '200',
      BENCH_HTTP_SECONDS: '3',
      BENCH_HTTP_REPEATS: '2',
      BENCH_ROUNDS: '3',
      BENCH_SCHEDULER_MS: '200',
      BENCH_GATEWAY_CALLS: '1000',
      BENCH_GATEWAY_PIPELINES: '2000',
      BENCH_WEBHOOK_EVENTS: '100',
      BENCH_WEBHOOK_BURST: '500',
      BENCH_STORM_SECONDS: '3',
    }
  : {};
const agentHeartbeatTimeoutMs = 6000;

interface Bench {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** Figures printed by the script's own table, for the scripts that do not write BENCH_OUT. */
  parse?: (output: string) => Figure[];
}

const benches: Bench[] = [
  { name: 'scheduler', script: 'test/bench/scheduler.bench.ts' },
  { name: 'db', script: 'test/bench/db.bench.ts' },
  { name: 'scale', script: 'test/bench/scale.bench.ts' },
  { name: 'http', script: 'test/bench/http.bench.ts' },
  // The same against the non-durable option, for comparison (the headline figures are the durable default's).
  {
    name: 'http-normal',
    script: 'test/bench/http.bench.ts',
    env: { FLEET_DB_SYNCHRONOUS: 'normal', BENCH_HTTP_REPEATS: quick ? '1' : '2' },
  },
  { name: 'webhook', script: 'test/bench/webhook.bench.ts' },
  { name: 'storm', script: 'test/bench/heartbeat-storm.bench.ts' },
  {
    name: 'agent',
    script: 'test/bench/agent-detection.bench.ts',
    parse: (output) => agentFigures(output, agentHeartbeatTimeoutMs),
  },
  { name: 'gateway', script: 'test/bench/gateway.bench.ts' },
  {
    name: 'emulator',
    script: 'test/bench/emulator.bench.ts',
    args: [process.env.BENCH_EMULATOR_PIPELINES ?? (quick ? '2000' : '10000')],
    parse: emulatorFigures,
  },
];

function run(bench: Bench, out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench.script, ...(bench.args ?? [])], {
      cwd: repoRoot,
      env: { ...process.env, ...quickEnv, ...bench.env, BENCH_OUT: out },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function main(): Promise<void> {
  const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
  const dir = `${repoRoot}/.bench-results/tmp`;
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
  const figures: Figure[] = [];
  const failed: string[] = [];
  for (const bench of benches) {
    if (skip.has(bench.name)) continue;
    process.stdout.write(`\n=== ${bench.name} (${bench.script})\n`);
    const out = `${dir}/${bench.name}.jsonl`;
    rmSync(out, { force: true });
    const t0 = performance.now();
    const { code, output } = await run(bench, out);
    process.stdout.write(`=== ${bench.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    if (code !== 0) {
      failed.push(bench.name);
      continue;
    }
    try {
      figures.push(
        ...(bench.parse
          ? bench.parse(output)
          : readFileSync(out, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as Figure)),
      );
    } catch (error) {
      process.stderr.write(`${bench.name}: ${String(error)}\n`);
      failed.push(bench.name);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
  const results = `${repoRoot}/bench/RESULTS.md`;
  writeResults(
    results,
    { figures, loadBefore, loadAfter, seconds, failed },
    `${repoRoot}/bench/optimizations.md`,
  );
  process.stdout.write(
    `\nwrote bench/RESULTS.md (${figures.length} figures, ${(seconds / 60).toFixed(1)} min)\n`,
  );
  if (failed.length) {
    process.stderr.write(`failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

await main();
