/**
 * In process: assignments through the database package (better-sqlite3, WAL, 10 nodes up, no HTTP) against
 * one committed raw INSERT in the same configuration, measured in turns so that both see the same machine
 * load. Ratio = raw µs / assignment µs (1.0: an assignment costs one bare durable write). Both durability modes:
 * synchronous=FULL (the default: an fsync per commit) and NORMAL (FLEET_DB_SYNCHRONOUS=normal).
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/db.bench.ts
 *   BENCH_DB_OPS=500 BENCH_REPEATS=3 …   (shorter)
 */
import { assignConcurrent, assignSequential, assignSticky } from './support/assign-loop';
import { openFleetFile } from './support/fleet-file';
import { openRawWriter } from './support/raw-write';
import { report } from './support/report';
import { envInt, loadNow, median } from './support/stats';

const OPS = envInt('BENCH_DB_OPS', 2000);
const REPEATS = envInt('BENCH_REPEATS', 5);
const IN_FLIGHT = 64;
const modes = ['full', 'normal'] as const;
type Mode = (typeof modes)[number];

async function main(): Promise<void> {
  const fleet = await openFleetFile(10);
  // The same, with one transaction per batch: what group commit saves, measured in the same turns.
  const single = await openFleetFile(10, { groupCommit: { maxBatches: 1 } });
  const raw = openRawWriter('FULL');
  try {
    const stickyIds = Array.from({ length: 1000 }, (_, i) => `sticky-${i}`);
    // The first pass places them (new sessions); every later pass is sticky.
    await assignSticky(fleet.db, stickyIds, stickyIds.length);
    const us = (): Record<string, number[]> => ({ raw: [], seq: [], con: [], single: [], sticky: [] });
    const figures: Record<Mode, Record<string, number[]>> = { full: us(), normal: us() };
    // Warm up the statement caches and the page cache before counting.
    raw.measure(200);
    await assignSequential(fleet.db, 200);
    for (let r = 0; r < REPEATS; r++) {
      for (const mode of modes) {
        const pragma = mode === 'full' ? 'FULL' : 'NORMAL';
        raw.synchronous(pragma);
        for (const f of [fleet, single]) f.file.raw.pragma(`synchronous = ${pragma}`);
        const into = figures[mode];
        into.raw?.push(raw.measure(OPS));
        into.seq?.push(await assignSequential(fleet.db, OPS));
        into.con?.push(await assignConcurrent(fleet.db, OPS, IN_FLIGHT));
        into.single?.push(await assignConcurrent(single.db, OPS, IN_FLIGHT));
        into.sticky?.push(await assignSticky(fleet.db, stickyIds, OPS));
      }
    }
    for (const mode of modes) {
      const m = (key: string) => median(figures[mode][key] ?? []);
      const base = m('raw');
      const baseline = { name: `raw committed INSERT (WAL, ${mode})`, value: base, unit: 'µs' };
      const row = (figure: string, value: number, target: boolean, note = '') =>
        report({
          bench: 'db',
          figure: `${figure} (synchronous=${mode})`,
          value,
          unit: 'µs',
          baseline,
          ratio: base / value,
          target: target ? { ratio: 0.5 } : undefined,
          note: `${(1e6 / value).toFixed(0)} assignments/s${note}`,
        });
      row('new session, one caller at a time', m('seq'), mode === 'full', `; load ${loadNow()}`);
      row(`new sessions, ${IN_FLIGHT} in flight (group commit)`, m('con'), mode === 'full');
      row(`new sessions, ${IN_FLIGHT} in flight, one transaction per batch`, m('single'), false);
      row('sticky re-assignment, one caller', m('sticky'), false);
    }
  } finally {
    raw.close();
    single.close();
    fleet.close();
  }
}

await main();
