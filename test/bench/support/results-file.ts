import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Figure, fmt, met, targetText } from './report';
import { machine } from './stats';

const cell = (value: number | undefined, unit = '') =>
  value === undefined || Number.isNaN(value) ? '' : `${fmt(value)}${unit ? ` ${unit}` : ''}`;

function table(figures: Figure[]): string {
  const lines = [
    '| figure | value | baseline (same run) | ratio | target | met? | notes |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const ok = met(f);
    lines.push(
      [
        '',
        f.figure,
        cell(f.value, f.unit),
        f.baseline ? `${f.baseline.name}: ${cell(f.baseline.value, f.baseline.unit)}` : '',
        f.ratio === undefined ? '' : f.ratio.toFixed(2),
        f.target ? targetText(f.target) : '',
        ok === undefined ? '' : ok ? 'yes' : '**no**',
        (f.note ?? '').replaceAll('|', '/'),
        '',
      ]
        .join(' | ')
        .trim(),
    );
  }
  return lines.join('\n');
}

const titles: Record<string, string> = {
  http: 'HTTP: the real control plane vs a bare Hono route (wrk)',
  db: 'In process: assignSession vs one raw durable write',
  scale: 'Scale: stored sessions and eligible nodes',
  scheduler: "The SWRR reference model alone (packages/swrr: the tests' model; placement is the SQL above)",
  webhook: 'Webhooks: delivery by the control plane process vs a bare POST to the same receiver',
  storm: 'Heartbeat storm: placement latency with and without 200 nodes × 10 heartbeats/s',
  agent: 'Agent: detection of a dead KMS',
  emulator: 'KMS emulator memory',
  gateway: 'KMS gateway: latency added per call, memory per pipeline',
};

/**
 * Writes the results file: the run's conditions, one table per benchmark, then the hand-written history of
 * optimizations (bench/optimizations.md), which a new run must not erase.
 */
export function writeResults(
  path: string,
  input: { figures: Figure[]; loadBefore: number[]; loadAfter: number[]; seconds: number; failed: string[] },
  optimizationsPath: string,
): void {
  const m = machine();
  const benches = [...new Set(input.figures.map((f) => f.bench))];
  const parts = [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (test/bench/run-all.ts); do not edit by hand, except bench/optimizations.md, which is',
    'appended. Every figure comes with a baseline measured in the same run, in turns with it, so that the ratio',
    'absorbs the load of a shared machine; each is the median of several rounds.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${m.cpuCount} × ${m.cpuModel}; Node ${m.node}; ${process.platform}/${process.arch}`,
    `- load average (1/5/15 min): ${input.loadBefore.join(' / ')} at start, ${input.loadAfter.join(' / ')} at end`,
    `- total time: ${(input.seconds / 60).toFixed(1)} min`,
    ...(input.failed.length ? [`- **failed: ${input.failed.join(', ')}** (see the run's output)`] : []),
    '',
  ];
  for (const bench of benches) {
    parts.push(`## ${titles[bench] ?? bench}`, '', table(input.figures.filter((f) => f.bench === bench)), '');
  }
  if (existsSync(optimizationsPath)) parts.push(readFileSync(optimizationsPath, 'utf8').trim(), '');
  writeFileSync(path, parts.join('\n'));
}
