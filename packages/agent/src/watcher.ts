import { errorMessage, type Logger, silentLogger } from '@kurento-fleet/log';
import { type Clock, realClock, type Wait, wait } from './clock';
import type { KmsConnection, KmsConnectionEvent, KmsProbe, KmsReport } from './kms-connection';

/** `unknown` until the first probe has finished. */
export type KmsStatus = 'unknown' | 'up' | 'down';

/** What the watcher knows about its KMS. Times are the clock's milliseconds. */
export interface KmsState {
  status: KmsStatus;
  /** The latest successful report; kept while down, for the operator. */
  report?: KmsReport;
  /** Why the KMS is down. */
  reason?: string;
  /** When the status last changed. */
  since: number;
  /** When the last probe finished. */
  lastProbeAt?: number;
  /** Restarts noticed since the watcher started. */
  restarts: number;
}

/** Sent after every probe. `transition` and `restarted` are the moments worth an immediate heartbeat. */
export interface WatcherUpdate {
  state: KmsState;
  /** The status changed with this probe (the first probe always changes it from `unknown`). */
  transition: boolean;
  /** This probe found a new KMS process: a new startedAt, or a session lost on reconnection. */
  restarted: boolean;
}

/** Options of `startWatcher`. */
export interface WatcherOptions {
  connection: KmsConnection;
  clock?: Clock;
  log?: Logger;
  /** Time between probe starts; 1000 ms by default. */
  intervalMs?: number;
  /** A probe that has not finished by then is a failure; 1500 ms by default. */
  deadlineMs?: number;
  onUpdate?: (update: WatcherUpdate) => void;
}

/** A running probe loop for one KMS. */
export interface Watcher {
  state(): KmsState;
  /** Runs a probe as soon as possible (after the current one, if any). */
  probeNow(): void;
  /** Ends the loop; resolves once it has stopped. Does not close the connection. */
  stop(): Promise<void>;
}

/** Probes never start closer than this, however many events ask for one: a flapping socket must not spin. */
const MIN_PROBE_GAP_MS = 50;
/** Past the deadline, how long the watcher waits for a connection that ignores its own deadline. */
const DEADLINE_GRACE_MS = 100;

/**
 * Probes one KMS every interval and keeps its state. A missed deadline or an error marks the KMS down at
 * once; connection events (socket lost, reconnected, restarted) trigger a probe without waiting for the
 * interval, so a transition is noticed in milliseconds rather than at the next tick.
 */
export function startWatcher(options: WatcherOptions): Watcher {
  return new ProbeLoop(options);
}

class ProbeLoop implements Watcher {
  private readonly connection: KmsConnection;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly intervalMs: number;
  private readonly deadlineMs: number;
  private readonly onUpdate: (update: WatcherUpdate) => void;
  private readonly unsubscribe: () => void;
  private readonly loop: Promise<void>;
  private current: KmsState;
  private stopped = false;
  private again = false;
  private sleeping: Wait | undefined;
  private stopSignal: Wait | undefined;
  /** startedAt of the last successful probe. */
  private lastStartedAt: string | undefined;
  /** The connection saw a session lost on reconnection (a restarted KMS); confirmed by the next successful probe. */
  private restartSignalled = false;
  private restartNoticedFor: string | undefined;
  private previousStartedAt: string | undefined;

  constructor(options: WatcherOptions) {
    this.connection = options.connection;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLogger;
    this.intervalMs = options.intervalMs ?? 1000;
    this.deadlineMs = options.deadlineMs ?? 1500;
    this.onUpdate = options.onUpdate ?? (() => {});
    this.current = { status: 'unknown', since: this.clock.now(), restarts: 0 };
    this.unsubscribe = this.connection.onEvent((event) => this.onConnectionEvent(event));
    this.loop = this.run();
  }

  state(): KmsState {
    return { ...this.current };
  }

  probeNow(): void {
    this.again = true;
    this.sleeping?.wake();
  }

  async stop(): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    this.unsubscribe();
    this.sleeping?.wake();
    this.stopSignal?.wake();
    return this.loop;
  }

  private onConnectionEvent(event: KmsConnectionEvent): void {
    if (event === 'restarted') this.restartSignalled = true;
    this.log.debug('kms connection event', { event });
    this.probeNow();
  }

  private async run(): Promise<void> {
    let lastStart = Number.NEGATIVE_INFINITY;
    while (!this.stopped) {
      const gap = lastStart + MIN_PROBE_GAP_MS - this.clock.now();
      if (gap > 0) await this.pause(gap);
      if (this.stopped) break;
      lastStart = this.clock.now();
      this.again = false;
      const probe = await this.probeOnce();
      if (this.stopped) break;
      try {
        this.apply(probe);
      } catch (error) {
        this.log.error('probe result handling failed', { error: errorMessage(error) });
      }
      if (this.again) continue;
      await this.sleep(lastStart + this.intervalMs - this.clock.now());
    }
  }

  /** A wait that events cannot cut short, only stop(). */
  private async pause(ms: number): Promise<void> {
    this.stopSignal = wait(this.clock, ms);
    await this.stopSignal.promise;
    this.stopSignal = undefined;
  }

  private async sleep(ms: number): Promise<void> {
    this.sleeping = wait(this.clock, Math.max(0, ms));
    await this.sleeping.promise;
    this.sleeping = undefined;
  }

  /** The connection's probe, guarded: a throw, a rejection or a probe that never settles is a failure too. */
  private async probeOnce(): Promise<KmsProbe> {
    const budget = this.deadlineMs + DEADLINE_GRACE_MS;
    const guard = wait(this.clock, budget);
    this.stopSignal = guard;
    const probe = Promise.resolve()
      .then(() => this.connection.probe(this.deadlineMs))
      .catch((error: unknown): KmsProbe => ({ ok: false, reason: `probe failed: ${errorMessage(error)}` }));
    const timedOut = guard.promise.then(
      (): KmsProbe => ({ ok: false, reason: `probe did not finish within ${budget} ms` }),
    );
    try {
      return await Promise.race([probe, timedOut]);
    } finally {
      guard.wake();
      this.stopSignal = undefined;
    }
  }

  private apply(probe: KmsProbe): void {
    const now = this.clock.now();
    const previous = this.current;
    let restarted = false;
    if (probe.ok) {
      restarted = this.noticeRestart(probe.report.startedAt);
      const transition = previous.status !== 'up';
      this.current = {
        status: 'up',
        report: probe.report,
        since: transition ? now : previous.since,
        lastProbeAt: now,
        restarts: previous.restarts + (restarted ? 1 : 0),
      };
      if (transition) {
        this.log.info('kms up', {
          version: probe.report.version,
          startedAt: probe.report.startedAt,
          ...(previous.status === 'down'
            ? { downForMs: now - previous.since, previousReason: previous.reason }
            : {}),
        });
      }
      if (restarted)
        this.log.warn('kms restarted', {
          previousStartedAt: this.previousStartedAt,
          startedAt: probe.report.startedAt,
        });
    } else {
      const transition = previous.status !== 'down';
      this.current = {
        status: 'down',
        report: previous.report,
        reason: probe.reason,
        since: transition ? now : previous.since,
        lastProbeAt: now,
        restarts: previous.restarts,
      };
      if (transition) {
        this.log.warn('kms down', {
          reason: probe.reason,
          ...(previous.status === 'up' ? { upForMs: now - previous.since } : {}),
        });
      } else if (probe.reason !== previous.reason) {
        this.log.debug('kms still down', { reason: probe.reason });
      }
    }
    const update: WatcherUpdate = {
      state: this.state(),
      transition: this.current.status !== previous.status,
      restarted,
    };
    this.onUpdate(update);
  }

  /**
   * A restart is a startedAt that changed, or the connection's signal. getCreationTime has a 1-second
   * resolution, so a restart within the same second only shows as the signal; and a probe may see the new
   * startedAt before the signal arrives, so a signal for an already noticed startedAt is not counted twice.
   */
  private noticeRestart(startedAt: string | undefined): boolean {
    const last = this.lastStartedAt;
    let restarted = false;
    if (startedAt !== undefined && last !== undefined && startedAt !== last) restarted = true;
    else if (this.restartSignalled && (startedAt === undefined || this.restartNoticedFor !== startedAt))
      restarted = true;
    this.restartSignalled = false;
    this.previousStartedAt = last;
    if (startedAt !== undefined) this.lastStartedAt = startedAt;
    if (restarted) this.restartNoticedFor = startedAt;
    return restarted;
  }
}
