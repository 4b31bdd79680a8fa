import type { SqlClient } from './client';
import { storageFailure } from './storage-errors';

/**
 * The time during which this process could not observe its fleet, so that health can discount it.
 *
 * A node is down when its heartbeats stop. But heartbeats can also "stop" because the observer could not record
 * them: another process held the database's write lock, the disk was full, the event loop was stalled, the
 * process was not running. Declaring nodes down then would move healthy rooms off healthy KMS and refuse new
 * ones: the observer's own stall would take the fleet down. So the heartbeat timeout is measured in OBSERVED
 * time: a node is fresh while its last heartbeat is younger than the timeout plus the blind time since.
 *
 * Blind time is recorded when
 * - a write (a heartbeat, a sweep, a placement) has waited longer than `stallMs` with no write committing since
 *   it started: the database cannot take writes (locked by another process, a slow disk);
 * - a write failed for a storage reason (locked past the busy timeout, disk full, read-only, file gone): blind
 *   from its start until the next write commits;
 * - the event loop did not turn for `stallMs` (see watchEventLoop below): nothing was observed meanwhile;
 * - before this process started, back to the last time any process observed (see lastObservedAt in ./heartbeats).
 * A write that is merely slow while others commit is not blindness: heartbeats are stamped with their arrival
 * time, so they lose nothing by waiting in the queue. And no write pending means nothing to record: a fleet
 * whose heartbeats really stopped still goes down after the timeout.
 */
export class ObservationGaps {
  /** Closed gaps, oldest first; at most `maxGaps` are kept (older ones no longer move any threshold). */
  private readonly closed: [number, number][] = [];
  private readonly pending = new Map<number, number>();
  private nextId = 0;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private failedSince: number | null = null;
  private lastLoopTurn: number | null = null;

  constructor(
    /** How long a write may wait, or the event loop stand still, before the process counts as blind. */
    readonly stallMs = 250,
    private readonly maxGaps = 256,
  ) {}

  /** Records a span during which nobody observed (e.g. before this process started). */
  addGap(from: number, to: number): void {
    if (to <= from) return;
    this.closed.push([from, to]);
    this.closed.sort((a, b) => a[0] - b[0]);
    if (this.closed.length > this.maxGaps) this.closed.shift();
  }

  /** A write begins; the returned handle ends it. */
  writeStarted(at: number): number {
    const id = this.nextId++;
    this.pending.set(id, at);
    return id;
  }

  writeCommitted(id: number, at: number): void {
    const open = this.openWriteGap(at);
    if (open !== null) this.addGap(open, at);
    this.failedSince = null;
    this.lastCommitAt = at;
    this.pending.delete(id);
  }

  /** A write failed; `storage` says whether the storage itself failed (not a rule of the data, like UNIQUE). */
  writeFailed(id: number, storage: boolean): void {
    const started = this.pending.get(id);
    this.pending.delete(id);
    if (storage && started !== undefined) this.failedSince = Math.min(this.failedSince ?? started, started);
  }

  /** The event loop turned at `at` (called by a timer): a long pause since the last turn was blind. */
  loopTurned(at: number): void {
    if (this.lastLoopTurn !== null && at - this.lastLoopTurn > this.stallMs)
      this.addGap(this.lastLoopTurn, at);
    this.lastLoopTurn = at;
  }

  /**
   * The oldest heartbeat time that still counts as fresh at `now`: `now − timeoutMs` in observed time, i.e.
   * pushed back by every blind span in between.
   */
  freshSince(now: number, timeoutMs: number): number {
    let remaining = timeoutMs;
    let cursor = now;
    const gaps = this.gapsAt(now);
    for (let i = gaps.length - 1; i >= 0; i--) {
      const [start, end] = gaps[i] as [number, number];
      if (start >= cursor) continue;
      const observed = cursor - Math.min(end, cursor);
      if (observed >= remaining) return cursor - remaining;
      remaining -= observed;
      cursor = start;
    }
    return cursor - remaining;
  }

  /** Where a write-side gap is open at `at`: since the first failure, or since a long wait began. */
  private openWriteGap(at: number): number | null {
    let start = this.failedSince;
    let oldestPending = Number.POSITIVE_INFINITY;
    for (const started of this.pending.values()) oldestPending = Math.min(oldestPending, started);
    const waitingSince = Math.max(this.lastCommitAt, oldestPending);
    if (Number.isFinite(waitingSince) && at - waitingSince > this.stallMs)
      start = Math.min(start ?? waitingSince, waitingSince);
    return start;
  }

  /** Closed gaps plus the ones still open at `now`, sorted and merged. */
  private gapsAt(now: number): [number, number][] {
    const all = [...this.closed];
    const write = this.openWriteGap(now);
    if (write !== null) all.push([write, now]);
    if (this.lastLoopTurn !== null && now - this.lastLoopTurn > this.stallMs)
      all.push([this.lastLoopTurn, now]);
    all.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of all) {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return merged;
  }
}

/** Wraps a client so that its writes tell `gaps` when the database could not take them. */
export function observeWrites(client: SqlClient, gaps: ObservationGaps, now: () => number): SqlClient {
  return {
    ...client,
    async batch(statements, options) {
      const id = gaps.writeStarted(now());
      try {
        const rows = await client.batch(statements, options);
        gaps.writeCommitted(id, now());
        return rows;
      } catch (error) {
        gaps.writeFailed(id, storageFailure(error) !== null);
        throw error;
      }
    },
  };
}

/**
 * Notes every turn of the event loop in `gaps`, so that a stall of the process itself (a long synchronous task,
 * a paused VM) counts as blind time. Node only: on Workers an isolate is not a long-lived observer.
 */
export function watchEventLoop(gaps: ObservationGaps, now: () => number, intervalMs = 100): () => void {
  gaps.loopTurned(now());
  const timer = setInterval(() => gaps.loopTurned(now()), intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
