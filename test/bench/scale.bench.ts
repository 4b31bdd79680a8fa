/**
 * Scale: new-session assignment cost (in process, better-sqlite3 WAL + FULL) with 0, 100,000 and 1,000,000
 * stored sessions (10 nodes), and with 10, 100 and 1,000 eligible nodes (no stored sessions). Every fleet is
 * open at once and measured in turns, so a burst of load on the shared machine hits them all alike.
 * Ratio = cost / cost at (10 nodes, 0 sessions): it must stay ≤ 1.2 over stored sessions and may grow at most
 * linearly with nodes (≤ nodes / 10).
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/scale.bench.ts
 *   BENCH_SCALE_MAX_SESSIONS=100000 BENCH_SCALE_OPS=200 …   (shorter)
 */
import { assignSequential } from './support/assign-loop';
import { type FleetFile, fillSessions, openFleetFile } from './support/fleet-file';
import { report } from './support/report';
import { envInt, loadNow, median } from './support/stats';

const OPS = envInt('BENCH_SCALE_OPS', 500);
const REPEATS = envInt('BENCH_REPEATS', 5);
const MAX_SESSIONS = envInt('BENCH_SCALE_MAX_SESSIONS', 1_000_000);

interface Case {
  name: string;
  nodes: number;
  sessions: number;
  fleet?: FleetFile;
  /** µs per assignment with synchronous=FULL (the default), and with NORMAL (no fsync: the CPU cost alone). */
  us: { full: number[]; normal: number[] };
}

const cases: Case[] = [
  { name: '10 nodes, 0 sessions', nodes: 10, sessions: 0, us: { full: [], normal: [] } },
  {
    name: '10 nodes, 100,000 sessions',
    nodes: 10,
    sessions: Math.min(100_000, MAX_SESSIONS),
    us: { full: [], normal: [] },
  },
  { name: '10 nodes, 1,000,000 sessions', nodes: 10, sessions: MAX_SESSIONS, us: { full: [], normal: [] } },
  { name: '100 nodes, 0 sessions', nodes: 100, sessions: 0, us: { full: [], normal: [] } },
  { name: '1,000 nodes, 0 sessions', nodes: 1000, sessions: 0, us: { full: [], normal: [] } },
];

async function main(): Promise<void> {
  try {
    for (const c of cases) {
      const start = performance.now();
      c.fleet = await openFleetFile(c.nodes);
      fillSessions(c.fleet, c.sessions, 'stored');
      // Start from an empty WAL, as a long-running server would, not with a million rows to checkpoint.
      c.fleet.file.raw.pragma('wal_checkpoint(TRUNCATE)');
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      process.stdout.write(`scale: set up ${c.name} in ${seconds} s\n`);
      await assignSequential(c.fleet.db, 50);
    }
    for (let r = 0; r < REPEATS; r++) {
      for (const mode of ['full', 'normal'] as const) {
        for (const c of cases) {
          if (!c.fleet) continue;
          // The same file in both modes, switched between turns: fsync noise shows in FULL only.
          c.fleet.file.raw.pragma(`synchronous = ${mode.toUpperCase()}`);
          c.us[mode].push(await assignSequential(c.fleet.db, OPS));
        }
      }
    }
    for (const mode of ['full', 'normal'] as const) {
      const [base] = cases;
      const baseUs = median(base?.us[mode] ?? []);
      for (const c of cases) {
        const value = median(c.us[mode]);
        const overSessions = c.nodes === 10;
        report({
          bench: 'scale',
          figure: `assignSession, ${c.name} (synchronous=${mode})`,
          value,
          unit: 'µs',
          baseline: { name: `10 nodes, 0 sessions (${mode})`, value: baseUs, unit: 'µs' },
          ratio: value / baseUs,
          target: { ratio: overSessions ? 1.2 : c.nodes / 10, atMost: true },
          note: overSessions
            ? 'growth over stored sessions'
            : `growth over nodes (linear allows ${c.nodes / 10}×)`,
        });
      }
    }
    process.stdout.write(`scale: load ${loadNow()}\n`);
  } finally {
    for (const c of cases) c.fleet?.close();
  }
}

await main();
