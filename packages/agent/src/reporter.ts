import type { AgentInfo, Heartbeat } from '@kurento-fleet/contract';
import { type BackoffPolicy, backoffDelay } from '@kurento-fleet/kurento';
import { errorMessage, type Logger, silentLogger } from '@kurento-fleet/log';
import { type Clock, realClock, type Wait, wait } from './clock';

/** The `agent` object of a heartbeat. */
export type { AgentInfo };

/**
 * What the reporter is told about the KMS; it adds the `agent` object itself. `kms` only when the latest probe
 * succeeded: the control plane keeps the last report otherwise.
 */
export type KmsHeartbeat = Pick<Heartbeat, 'connected' | 'kms'>;

/** The body of `POST /v1/nodes/{id}/heartbeat`, as this agent sends it. */
type HeartbeatBody = KmsHeartbeat & { agent: AgentInfo };

/** Options of `startReporter`. */
export interface ReporterOptions {
  /** The control plane's base URL, e.g. `http://10.0.0.2:8080`. */
  fleetUrl: string;
  nodeId: string;
  agentToken: string;
  agent: AgentInfo;
  clock?: Clock;
  log?: Logger;
  /** The global fetch by default. */
  fetch?: typeof fetch;
  /** The cadence until the control plane first says otherwise; 2000 ms (its default) by default. */
  initialIntervalMs?: number;
  /** A heartbeat unanswered after this long is a failure; 3000 ms by default. */
  requestTimeoutMs?: number;
  /** Retry delays after a failed heartbeat; 250 ms doubling up to 5 s by default. */
  backoff?: BackoffPolicy;
  /** Source of jitter; Math.random by default. */
  random?: () => number;
}

/** How the heartbeats are going. Times are the clock's milliseconds. */
export interface ReporterStatus {
  /** The cadence the control plane asked for last. */
  intervalMs: number;
  sent: number;
  accepted: number;
  consecutiveFailures: number;
  lastAcceptedAt?: number;
  lastFailure?: string;
}

/** A running heartbeat loop for one node. */
export interface Reporter {
  /** The KMS state to report from now on; `urgent` sends it at once (a transition, a restart). */
  update(heartbeat: KmsHeartbeat, urgent: boolean): void;
  status(): ReporterStatus;
  /** Ends the loop, aborting a heartbeat in flight. */
  stop(): Promise<void>;
}

/** The control plane cannot ask for a cadence that would turn the agent into a busy loop. */
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 3_600_000;

type Outcome = { ok: true; intervalMs: number | undefined } | { ok: false; error: string; status?: number };

/**
 * Sends heartbeats at the control plane's interval, and at once when the KMS state changes. When the control
 * plane is unreachable or refuses, it retries with capped exponential backoff and jitter, and goes back to
 * the normal cadence on the first answer. The loop never ends until `stop()`.
 */
export function startReporter(options: ReporterOptions): Reporter {
  return new HeartbeatLoop(options);
}

class HeartbeatLoop implements Reporter {
  private readonly url: string;
  private readonly options: ReporterOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly fetch: typeof fetch;
  private readonly requestTimeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly loop: Promise<void>;
  private heartbeat: KmsHeartbeat | undefined;
  private urgent = false;
  private stopped = false;
  private sleeping: Wait | undefined;
  private inFlight: AbortController | undefined;
  private nextAt = 0;
  private failingSince: number | undefined;
  private readonly current: ReporterStatus;

  constructor(options: ReporterOptions) {
    this.options = options;
    this.url = `${options.fleetUrl.replace(/\/+$/, '')}/v1/nodes/${encodeURIComponent(options.nodeId)}/heartbeat`;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLogger;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 3000;
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 5000 };
    this.random = options.random ?? Math.random;
    this.current = {
      intervalMs: options.initialIntervalMs ?? 2000,
      sent: 0,
      accepted: 0,
      consecutiveFailures: 0,
    };
    this.loop = this.run();
  }

  update(heartbeat: KmsHeartbeat, urgent: boolean): void {
    const first = this.heartbeat === undefined;
    this.heartbeat = heartbeat;
    if (urgent || first) {
      this.urgent = true;
      this.sleeping?.wake();
    }
  }

  status(): ReporterStatus {
    return { ...this.current };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeping?.wake();
    this.inFlight?.abort(new Error('agent stopping'));
    return this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const heartbeat = this.heartbeat;
      const now = this.clock.now();
      // Nothing to say before the first probe has finished; then a heartbeat when due or urgent.
      if (!heartbeat || (!this.urgent && now < this.nextAt)) {
        await this.sleep(heartbeat ? this.nextAt - now : MAX_INTERVAL_MS);
        continue;
      }
      this.urgent = false;
      try {
        await this.beat(heartbeat);
      } catch (error) {
        // Nothing in beat() is meant to throw; if it does, the loop still goes on.
        this.log.error('heartbeat loop error', { error: errorMessage(error) });
        this.nextAt = this.clock.now() + this.backoff.maxMs;
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    this.sleeping = wait(this.clock, Math.max(0, ms));
    await this.sleeping.promise;
    this.sleeping = undefined;
  }

  private async beat(heartbeat: KmsHeartbeat): Promise<void> {
    const sentAt = this.clock.now();
    this.current.sent += 1;
    const outcome = await this.send({ ...heartbeat, agent: this.options.agent });
    if (this.stopped) return;
    const now = this.clock.now();
    if (outcome.ok) {
      const failed = this.current.consecutiveFailures;
      if (outcome.intervalMs !== undefined && outcome.intervalMs !== this.current.intervalMs) {
        this.log.debug('heartbeat interval changed', { intervalMs: outcome.intervalMs });
        this.current.intervalMs = outcome.intervalMs;
      }
      if (failed > 0) {
        const failingForMs = now - (this.failingSince ?? now);
        this.log.info('heartbeat recovered', { failedAttempts: failed, failingForMs });
      }
      if (this.current.accepted === 0) {
        this.log.info('first heartbeat accepted', { intervalMs: this.current.intervalMs });
      }
      this.current.accepted += 1;
      this.current.consecutiveFailures = 0;
      this.current.lastAcceptedAt = now;
      this.failingSince = undefined;
      this.nextAt = sentAt + this.current.intervalMs;
      return;
    }
    this.current.consecutiveFailures += 1;
    this.current.lastFailure = outcome.error;
    this.failingSince ??= sentAt;
    // Never slower than the cadence the control plane asked for: its heartbeat timeout runs from the last
    // heartbeat it recorded, so a retry later than that would make the node look down the moment it returns,
    // and a retry at that pace is no more load than the heartbeats it wants anyway.
    const retryInMs = Math.min(
      backoffDelay(this.current.consecutiveFailures, this.backoff, this.random),
      this.current.intervalMs,
    );
    this.nextAt = now + retryInMs;
    const fields = {
      error: outcome.error,
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      attempt: this.current.consecutiveFailures,
      retryInMs,
    };
    const hint = outcome.status === undefined ? undefined : REFUSALS[outcome.status];
    // A refusal will not fix itself: an operator has to fix the token or the node id; keep trying meanwhile.
    if (hint) this.log.error('heartbeat failed', { ...fields, hint });
    else this.log.warn('heartbeat failed', fields);
  }

  private async send(body: HeartbeatBody): Promise<Outcome> {
    const controller = new AbortController();
    this.inFlight = controller;
    const timer = this.clock.setTimeout(
      () => controller.abort(new Error(`no answer within ${this.requestTimeoutMs} ms`)),
      this.requestTimeoutMs,
    );
    try {
      const response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.agentToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await response.text();
      if (response.status !== 200)
        return { ok: false, status: response.status, error: refusalMessage(response.status, text) };
      return { ok: true, intervalMs: this.intervalFrom(text) };
    } catch (error) {
      return {
        ok: false,
        error: fetchErrorMessage(controller.signal.aborted ? controller.signal.reason : error),
      };
    } finally {
      this.clock.clearTimeout(timer);
      this.inFlight = undefined;
    }
  }

  /** The answer's interval, or undefined (keep the current one) when it is missing or absurd. */
  private intervalFrom(text: string): number | undefined {
    let value: unknown;
    try {
      value = (JSON.parse(text) as { heartbeatIntervalMs?: unknown } | null)?.heartbeatIntervalMs;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      this.log.warn('heartbeat answer without a valid heartbeatIntervalMs; keeping the current interval', {
        answer: text.slice(0, 200),
      });
      return undefined;
    }
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.round(value)));
  }
}

const REFUSALS: Readonly<Record<number, string>> = {
  401: 'the control plane does not accept the agent token',
  403: 'the agent token belongs to another node',
  404: 'the control plane does not know this node id',
};

/** `HTTP 503: <the error message of the control plane's error shape, or the start of the body>`. */
function refusalMessage(status: number, text: string): string {
  let detail = text.slice(0, 200);
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } } | null)?.error?.message;
    if (typeof message === 'string') detail = message;
  } catch {
    // not the error shape; keep the raw start
  }
  return detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
}

/** undici's "fetch failed" hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function fetchErrorMessage(error: unknown): string {
  const message = errorMessage(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail ? `${message} (${detail})` : message;
}
