import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialMs: 250, maxMs: 5000 };

  it.each([
    [1, 250],
    [2, 500],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [6, 5000],
    [60, 5000],
    [10_000, 5000],
  ])('attempt %i tops out at %i ms, and waits at least half of it', (attempt, ceiling) => {
    expect(backoffDelay(attempt, policy, () => 1)).toBe(ceiling);
    expect(backoffDelay(attempt, policy, () => 0)).toBe(ceiling / 2);
  });

  it('spreads the jitter over the upper half, in whole milliseconds', () => {
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1000 }, () => 0.333)).toBe(67);
    expect(backoffDelay(0, policy, () => 0.5)).toBe(188);
  });
});
