/**
 * The SWRR algorithm's in-memory cost: packages/swrr's pick() over 10 and 1,000 nodes, state carried from pick to
 * pick as the database would. packages/swrr is the reference model the tests hold the SQL placement against; no
 * request runs it, so this measures the algorithm, not the placement (db.bench.ts and scale.bench.ts do). The
 * baseline is the same loop over 10 nodes, so the 1,000-node ratio shows the O(n) cost.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/scheduler.bench.ts
 */
import { pick, type SwrrNode } from '@kurento-fleet/swrr';
import { report } from './support/report';
import { envInt, median } from './support/stats';

const MILLIS = envInt('BENCH_SCHEDULER_MS', 500);
const REPEATS = envInt('BENCH_REPEATS', 5);

/** Picks per second over `size` nodes of weights 1..5, for about MILLIS ms. */
function picksPerSecond(size: number): number {
  let nodes: SwrrNode[] = Array.from({ length: size }, (_, i) => ({
    id: `n${i}`,
    weight: 1 + (i % 5),
    current: 0,
  }));
  let picks = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MILLIS) {
    for (let i = 0; i < 100; i++) nodes = pick(nodes)?.nodes ?? nodes;
    picks += 100;
    elapsed = performance.now() - start;
  }
  return (picks * 1000) / elapsed;
}

const sizes = [10, 1000];
const results = new Map<number, number[]>(sizes.map((size) => [size, []]));
picksPerSecond(10);
for (let r = 0; r < REPEATS; r++) for (const size of sizes) results.get(size)?.push(picksPerSecond(size));
const base = median(results.get(10) ?? []);
for (const size of sizes) {
  const value = median(results.get(size) ?? []);
  report({
    bench: 'scheduler',
    figure: `pick() over ${size} nodes`,
    value,
    unit: 'picks/s',
    baseline: { name: 'pick() over 10 nodes', value: base, unit: 'picks/s' },
    ratio: value / base,
    note: `${((1e6 / value) * 1000).toFixed(0)} ns/pick; ${(1e9 / value / size).toFixed(1)} ns per node`,
  });
}
