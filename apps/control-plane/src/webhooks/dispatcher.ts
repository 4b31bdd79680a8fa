import {
  type DeliverySettings,
  type FleetDb,
  type LeasedWebhook,
  nextEvents,
  pendingWebhooks,
  recordAttempt,
  releaseLease,
  renewLease,
  SecretUnavailableError,
  secretsOf,
  takeLease,
} from '@kurento-fleet/db';
import type { Logger } from '@kurento-fleet/log';
import { attemptDelivery } from './attempt';

export interface DispatcherDeps {
  db: FleetDb;
  settings: DeliverySettings;
  log: Logger;
  /** The fetch deliveries use; the global one by default. */
  fetch?: typeof fetch;
}

/**
 * What one pass may spend, shared by the loops it starts: a Worker invocation's time after its answer, and its
 * subrequests (each attempt is one; the free plan allows 50 an invocation). A Node process has no limit.
 */
export interface Budget {
  /** No attempt starts that could end after this (epoch ms, real time). */
  until: number;
  /** Attempts left. */
  attempts: number;
}

/** A pass with no limit: a Node process's (and a test's). */
export const unlimited = (): Budget => ({
  until: Number.POSITIVE_INFINITY,
  attempts: Number.POSITIVE_INFINITY,
});

/** Events read at a time for one webhook; it goes on reading while they come. */
const page = 50;

/**
 * Delivers the outbox to webhooks, the same code on Node (a long-lived process, see ./node-loop) and on Workers
 * (an invocation's spare time, see ../worker.ts). A pass finds the webhooks with events to deliver and runs one
 * delivery loop per webhook this process may deliver now, each in parallel with the others, so that a slow
 * receiver never delays another's events. A loop holds its webhook's lease (@kurento-fleet/db's
 * webhook-delivery) and delivers one event at a time, in order, until none is left, an attempt fails (the
 * backoff then waits), or its time is up.
 */
export class WebhookDispatcher {
  /** Names this process in the leases it takes. */
  readonly owner = crypto.randomUUID();
  private readonly loops = new Map<string, { again: boolean; budget: Budget; done: Promise<void> }>();
  private stopping = false;

  constructor(private readonly deps: DispatcherDeps) {}

  /**
   * Starts a delivery loop for every webhook this process may deliver now, or has a running loop look again;
   * returns when the next webhook may start (epoch ms, the database's clock: a backoff ending, another process's
   * lease running out), or null when none waits.
   */
  async pass(budget: Budget = unlimited()): Promise<number | null> {
    if (this.stopping) return null;
    const now = this.deps.db.now();
    let next: number | null = null;
    for (const webhook of await pendingWebhooks(this.deps.db, this.owner, now)) {
      if (webhook.startAt > now) next = Math.min(next ?? webhook.startAt, webhook.startAt);
      else this.start(webhook.id, budget);
    }
    return next;
  }

  /** A pass, and every loop running in this process to its end: what a Worker invocation waits for. */
  async drain(budget: Budget): Promise<number | null> {
    const next = await this.pass(budget);
    await Promise.all([...this.loops.values()].map((loop) => loop.done));
    return next;
  }

  /** Starts no further attempt; resolves once the attempts in flight are recorded and the leases handed back. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.loops.values()].map((loop) => loop.done));
  }

  private start(id: string, budget: Budget): void {
    const running = this.loops.get(id);
    if (running) {
      // Its loop may have just found nothing left; it looks once more before it ends, on the newer budget.
      running.again = true;
      running.budget = budget;
      return;
    }
    const loop = { again: false, budget, done: Promise.resolve() };
    loop.done = (async () => {
      do {
        loop.again = false;
        await this.deliver(id, loop.budget).catch((error) =>
          this.deps.log.error('webhook delivery stopped', { webhook: id, error: String(error) }),
        );
      } while (loop.again && !this.stopping);
      this.loops.delete(id);
    })();
    this.loops.set(id, loop);
  }

  /** Delivers the webhook's events in order while this process holds its lease. */
  private async deliver(id: string, budget: Budget): Promise<void> {
    const { db, settings } = this.deps;
    const leased = await takeLease(db, id, this.owner, settings);
    if (!leased) return;
    let held = true;
    try {
      let secret: string;
      try {
        secret = await secretsOf(db).open(leased.secret, id);
      } catch (error) {
        if (!(error instanceof SecretUnavailableError)) throw error;
        // Nothing is attempted, so nothing is recorded: the events wait for the right key.
        this.deps.log.error('webhook not delivered: its signing secret cannot be opened', {
          webhook: id,
          error: error.message,
        });
        return;
      }
      const webhook = { ...leased, secret };
      while (held) {
        const events = await nextEvents(db, webhook, page);
        if (events.length === 0) break;
        for (const event of events) {
          if (this.stopping || budget.attempts < 1 || Date.now() + settings.timeoutMs > budget.until) return;
          if (!(await this.keepLease(webhook))) {
            held = false;
            return;
          }
          budget.attempts--;
          const outcome = await attemptDelivery(webhook, event, {
            // Called as a plain function: workerd refuses a fetch called as a method of another object.
            fetch: this.deps.fetch ?? ((input, init) => fetch(input, init)),
            timeoutMs: settings.timeoutMs,
          });
          if (!outcome.ok) {
            this.deps.log.warn('webhook delivery failed', {
              webhook: id,
              event: String(event.seq),
              error: outcome.error,
            });
          }
          // Anything but a recorded success ends the loop: the backoff runs, or the lease is gone.
          if (!(await recordAttempt(db, webhook, this.owner, event, outcome, settings))) {
            held = false;
            return;
          }
        }
      }
    } finally {
      if (held) await releaseLease(db, id, this.owner);
    }
  }

  /** Renews the lease when less than two attempts' time is left, so that the next attempt ends inside it. */
  private async keepLease(webhook: LeasedWebhook): Promise<boolean> {
    const { db, settings } = this.deps;
    if (webhook.leaseUntil - db.now() > 2 * settings.timeoutMs) return true;
    return renewLease(db, webhook, this.owner, settings);
  }
}
