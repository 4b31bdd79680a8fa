/**
 * Tells the readers of the outbox in this process (the event streams, the webhook dispatcher) that a commit
 * wrote events, so that they read at once instead of at their next poll. Events other processes write reach
 * them by that poll alone.
 */
export class OutboxSignal {
  private waiters = new Set<() => void>();
  private listeners = new Set<() => void>();
  /** Counts the notifications: a reader notes it before it reads, so that none between is lost. */
  generation = 0;

  /** A commit of this process wrote events. */
  notify = (): void => {
    this.generation += 1;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
    for (const listener of this.listeners) listener();
  };

  /** Calls `listener` after every commit that wrote events; returns the unsubscribe. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves at the next notify, after `ms`, or when `signal` aborts, whichever comes first; at once when a
   * notify came since the reader noted `seen` (the generation before it read).
   */
  wait(ms: number, signal?: AbortSignal, seen = this.generation): Promise<void> {
    if (seen !== this.generation || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
