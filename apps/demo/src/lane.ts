/**
 * Runs tasks at most `limit` at once, the rest waiting in order: the demo's requests come at a rate, never as a
 * flood. Tasks handle their own errors; a task that rejects anyway is dropped silently here.
 */
export class Lane {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: Array<() => Promise<void>> = [];
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Whether a new task would have to wait. */
  get full(): boolean {
    return this.running.size + this.waiting.length >= this.limit;
  }

  push(task: () => Promise<void>): void {
    this.waiting.push(task);
    this.pump();
  }

  /** Resolves once nothing runs or waits, including tasks pushed meanwhile. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.running.size < this.limit) {
      const task = this.waiting.shift();
      if (!task) return;
      const run: Promise<void> = task()
        .catch(() => {})
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }
}
