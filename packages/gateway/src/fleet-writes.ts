import { setTimeout as sleep } from 'node:timers/promises';
import { FleetApiError } from '@kurento-fleet/client';
import type { Logger } from '@kurento-fleet/log';
import type { GatewayFleet } from './fleet';

/** What must become true of a fleet session: gone, or registered on a node. */
type Intent = { kind: 'release' } | { kind: 'register'; nodeId: string };

interface Entry {
  intent: Intent;
  /** Bumped by every new intent for the session, so that a write that lands late does not clear a newer one. */
  version: number;
}

export interface FleetWritesOptions {
  /** Sessions kept at most; past it the oldest is dropped, with an error logged. Default 100 000. */
  limit?: number;
  /** Writes in flight at once while catching up. Default 8. */
  concurrency?: number;
  /** The first retry's delay; it doubles up to maxDelayMs. Defaults 250 ms and 5 s. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * The gateway's writes to the fleet that must land eventually, whatever the control plane's availability:
 * releasing a pipeline's fleet session (else the fleet counts it on its node for good) and registering a
 * pipeline under its own id (else no other gateway, nor this one after a restart, can route it). A write the
 * control plane cannot take now (unreachable, 5xx, 429) is kept by session id, the latest intent winning, and
 * tried again with a back-off until it lands; one it refuses (another 4xx) is logged and dropped, as retrying
 * would not change the answer. Writes of one session never overlap, so a late release cannot undo a later
 * registration or the other way round. They are kept in memory: `flush` on stop gives them a last chance.
 */
export class FleetWrites {
  private readonly entries = new Map<string, Entry>();
  private readonly limit: number;
  private readonly concurrency: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Consecutive drains that met an unavailable control plane. */
  private failedDrains = 0;

  constructor(
    private readonly fleet: GatewayFleet,
    private readonly log: Logger,
    options: FleetWritesOptions = {},
  ) {
    this.limit = options.limit ?? 100_000;
    this.concurrency = options.concurrency ?? 8;
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
  }

  /** Writes waiting for the control plane. */
  get pending(): number {
    return this.entries.size;
  }

  /** The session must be released (one the fleet does not know counts as released). */
  release(sessionId: string): void {
    this.want(sessionId, { kind: 'release' });
  }

  /** The session must be registered on `nodeId` (an existing one there is kept as it is). */
  register(sessionId: string, nodeId: string): void {
    this.want(sessionId, { kind: 'register', nodeId });
  }

  /** The control plane answered another call: what waits goes now rather than at the end of the back-off. */
  retryNow(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.drain();
  }

  /**
   * Tries what waits, again and again for at most `ms` (a stopping gateway); true when nothing is left. Its
   * timers keep the process alive: a stopping process must not exit in the middle.
   */
  async flush(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.entries.size > 0 && Date.now() < deadline) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      const timeout = new AbortController();
      const expired = sleep(deadline - Date.now(), undefined, { signal: timeout.signal }).catch(() => {});
      await Promise.race([this.drain(), expired]);
      timeout.abort();
      if (this.entries.size > 0)
        await sleep(Math.max(0, Math.min(this.initialDelayMs, deadline - Date.now())));
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    return this.entries.size === 0;
  }

  private want(sessionId: string, intent: Intent): void {
    const entry = this.entries.get(sessionId);
    if (entry) {
      entry.intent = intent;
      entry.version += 1;
    } else {
      if (this.entries.size >= this.limit) this.dropOldest();
      this.entries.set(sessionId, { intent, version: 0 });
    }
    // While backing off the control plane is known to be away: the write waits for the timer with the others.
    if (this.retryTimer === undefined) void this.drain();
  }

  private drain(): Promise<void> {
    this.draining ??= this.catchUp().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async catchUp(): Promise<void> {
    while (this.entries.size > 0) {
      const outcomes = await Promise.all(this.firstEntries().map(([id, entry]) => this.attempt(id, entry)));
      if (outcomes.includes('unavailable')) {
        this.backOff();
        return;
      }
    }
    if (this.failedDrains > 0) this.log.info('the control plane took the writes that waited for it');
    this.failedDrains = 0;
  }

  private firstEntries(): Array<[string, Entry]> {
    const batch: Array<[string, Entry]> = [];
    for (const item of this.entries) {
      if (batch.length === this.concurrency) break;
      batch.push(item);
    }
    return batch;
  }

  private async attempt(sessionId: string, entry: Entry): Promise<'done' | 'unavailable'> {
    const { intent, version } = entry;
    try {
      if (intent.kind === 'release') await this.fleet.release(sessionId);
      else await this.fleet.placeOn(sessionId, intent.nodeId);
    } catch (error) {
      if (!refused(error)) return 'unavailable';
      this.log.error('the control plane refused a write; it is dropped', { sessionId, intent, error });
    }
    // A newer intent came while this one was on its way: it stays, and goes next. (An entry dropped by the
    // limit meanwhile may have been replaced by a new one: that one stays too.)
    if (this.entries.get(sessionId) === entry && entry.version === version) this.entries.delete(sessionId);
    return 'done';
  }

  private backOff(): void {
    this.failedDrains += 1;
    if (this.failedDrains === 1) {
      this.log.warn('the control plane cannot take writes now; they wait and are retried', {
        pending: this.entries.size,
      });
    }
    const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (this.failedDrains - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, delay);
    this.retryTimer.unref();
  }

  private dropOldest(): void {
    const [oldest] = this.entries.keys();
    if (oldest === undefined) return;
    this.entries.delete(oldest);
    this.log.error('too many writes wait for the control plane; the oldest is dropped', {
      sessionId: oldest,
      limit: this.limit,
    });
  }
}

/** An answer that another try would not change: a 4xx other than 429 (the fleet's refusal, not its absence). */
function refused(error: unknown): boolean {
  return error instanceof FleetApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}
