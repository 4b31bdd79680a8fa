import { describe, expect, it } from 'vitest';
import { ObservationGaps } from './observation';

const timeout = 2000;

describe('ObservationGaps.freshSince', () => {
  it('is now − timeout when nothing was missed', () => {
    expect(new ObservationGaps().freshSince(10_000, timeout)).toBe(8000);
  });

  it('pushes the threshold back by a blind span inside the window', () => {
    const gaps = new ObservationGaps();
    gaps.addGap(9000, 9500);
    expect(gaps.freshSince(10_000, timeout)).toBe(7500);
  });

  it('counts a blind span longer than the timeout whole, so nothing goes stale for it', () => {
    const gaps = new ObservationGaps();
    gaps.addGap(3000, 9000);
    // 1000 ms observed after the gap, the other 1000 ms before it.
    expect(gaps.freshSince(10_000, timeout)).toBe(2000);
  });

  it('ignores spans older than the window and merges overlapping ones', () => {
    const gaps = new ObservationGaps();
    gaps.addGap(1000, 2000);
    gaps.addGap(9200, 9600);
    gaps.addGap(9400, 9800);
    expect(gaps.freshSince(10_000, timeout)).toBe(7400);
  });
});

describe('ObservationGaps from writes', () => {
  it('is blind while a write waits past stallMs with nothing committing, from the wait’s start', () => {
    const gaps = new ObservationGaps(250);
    gaps.writeCommitted(gaps.writeStarted(1000), 1001);
    const waiting = gaps.writeStarted(2000);
    expect(gaps.freshSince(2200, timeout)).toBe(200);
    expect(gaps.freshSince(8000, timeout)).toBe(0);
    gaps.writeCommitted(waiting, 8000);
    // The 6 s wait stays discounted after it ended.
    expect(gaps.freshSince(9000, timeout)).toBe(1000);
  });

  it('is not blind when writes are slow but others commit meanwhile', () => {
    const gaps = new ObservationGaps(250);
    for (let t = 0; t < 10_000; t += 100) {
      const id = gaps.writeStarted(t);
      gaps.writeCommitted(id, t + 180);
    }
    expect(gaps.freshSince(10_000, timeout)).toBe(8000);
  });

  it('is blind from a storage failure until the next commit, but not for a refused row', () => {
    const gaps = new ObservationGaps(250);
    gaps.writeFailed(gaps.writeStarted(1000), true);
    expect(gaps.freshSince(5000, timeout)).toBe(-1000);
    gaps.writeCommitted(gaps.writeStarted(5000), 5001);
    expect(gaps.freshSince(6000, timeout)).toBe(-1);

    const other = new ObservationGaps(250);
    other.writeFailed(other.writeStarted(1000), false);
    expect(other.freshSince(5000, timeout)).toBe(3000);
  });

  it('is not blind when no write is pending: heartbeats that really stopped still time out', () => {
    const gaps = new ObservationGaps(250);
    gaps.writeCommitted(gaps.writeStarted(1000), 1001);
    expect(gaps.freshSince(60_000, timeout)).toBe(58_000);
  });
});

describe('ObservationGaps from the event loop', () => {
  it('counts a stall between two turns, and a stall still going on', () => {
    const gaps = new ObservationGaps(250);
    gaps.loopTurned(1000);
    gaps.loopTurned(1100);
    expect(gaps.freshSince(4100, timeout)).toBe(-900);
    gaps.loopTurned(4100);
    expect(gaps.freshSince(4200, timeout)).toBe(-800);
  });
});
