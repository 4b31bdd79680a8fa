import { describe, expect, it } from 'vitest';
import { runSoak } from './soak/soak';

describe('soak (short form; `pnpm soak` runs the long one)', () => {
  it('answers every request and keeps every process’s memory flat', async () => {
    const report = await runSoak({ seconds: Number(process.env.SOAK_SECONDS ?? 20) });
    expect(report.failures).toEqual([]);
    expect(report.requests).toBeGreaterThan(500);
    // The control plane's live heap (its lows) stays flat; a leak of a few hundred bytes a request would lift it
    // by tens of MiB over the run.
    const { early, late } = report.heapFloor;
    expect(late, `heap floor ${early.toFixed(1)} → ${late.toFixed(1)} MiB`).toBeLessThan(early * 1.2 + 4);
    // Resident memory, for every process: a looser bound, since V8 sizes its heap to the allocation rate.
    for (const [name, mem] of Object.entries(report.memory)) {
      expect(mem.late, `${name}: ${mem.early.toFixed(1)} → ${mem.late.toFixed(1)} MiB`).toBeLessThan(
        mem.early * 1.6 + 16,
      );
    }
  }, 120_000);
});
