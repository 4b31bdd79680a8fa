import type { Logger } from '@kurento-fleet/log';
import type { WebhookDispatcher } from './dispatcher';

export interface DispatcherLoop {
  /** A commit wrote events: look now (several wakes in a row make one more pass, not one each). */
  wake(): void;
  /** Stops looking, lets the attempts in flight finish and hands the leases back. */
  stop(): Promise<void>;
}

/**
 * The Node process's dispatcher: a pass right after each commit of this process that wrote events (what keeps
 * delivery latency in milliseconds), at the end of a backoff, and at least every `pollMs` for the events other
 * replicas write and the leases of replicas that died.
 */
export function runDispatcher(
  dispatcher: WebhookDispatcher,
  options: { pollMs: number; now: () => number; log: Logger },
): DispatcherLoop {
  let running = false;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    let next: number | null = null;
    do {
      again = false;
      next = await dispatcher.pass().catch((error) => {
        options.log.error('webhook dispatcher pass failed', { error: String(error) });
        return null;
      });
    } while (again && !stopped);
    running = false;
    if (stopped) return;
    const wait = next === null ? options.pollMs : Math.min(options.pollMs, Math.max(0, next - options.now()));
    timer = setTimeout(() => void run(), wait);
  };

  void run();
  return {
    wake: () => void run(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await dispatcher.stop();
    },
  };
}
