/** An opaque timer handle, as returned by `Clock.setTimeout`. */
export type TimerHandle = unknown;

/**
 * Time as the agent sees it. Every wait goes through this, so unit tests drive the probe and heartbeat loops
 * with a fake clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for intervals (epoch ms for the real clock). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: Date.now and Node timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A wait that can be cut short: `wake()` resolves it at once and drops its timer. */
export interface Wait {
  readonly promise: Promise<void>;
  wake(): void;
}

/** Waits `ms` on `clock`, resolving early when woken. */
export function wait(clock: Clock, ms: number): Wait {
  let wake = () => {};
  const promise = new Promise<void>((resolve) => {
    const handle = clock.setTimeout(() => resolve(), ms);
    wake = () => {
      clock.clearTimeout(handle);
      resolve();
    };
  });
  return { promise, wake };
}
