import { describe, expect, it, vi } from 'vitest';
import { KurentoTimeoutError, kurentoCall } from './call';
import type { Callback, KurentoError } from './types';

describe('kurentoCall', () => {
  it('resolves with the answer, and rejects with the server error as kurento-client built it', async () => {
    await expect(kurentoCall<number>((cb) => cb(null, 4))).resolves.toBe(4);
    const serverError: KurentoError = Object.assign(new Error("Factory 'Nope' not found"), { code: 40108 });
    await expect(kurentoCall<number>((cb) => cb(serverError, 0))).rejects.toBe(serverError);
  });

  it('rejects when the call throws, and settles once when the client calls back twice', async () => {
    await expect(
      kurentoCall(() => {
        throw new Error('client closed');
      }),
    ).rejects.toThrow('client closed');
    let late: Callback<number> | undefined;
    const answer = kurentoCall<number>((cb) => {
      late = cb;
      cb(null, 1);
    });
    expect(() => late?.(new Error('again'), 2)).not.toThrow();
    await expect(answer).resolves.toBe(1);
  });

  it('rejects with KurentoTimeoutError after the deadline, and ignores a late answer', async () => {
    vi.useFakeTimers();
    try {
      let callback: Callback<string> | undefined;
      const answer = kurentoCall<string>((cb) => {
        callback = cb;
      }, 500);
      const outcome = answer.catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(499);
      callback?.(null, 'too late?');
      expect(await outcome).toBe('too late?');

      let lateCallback: Callback<string> | undefined;
      const silent = kurentoCall<string>((cb) => {
        lateCallback = cb;
      }, 500).catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(500);
      expect(() => lateCallback?.(null, 'after the deadline')).not.toThrow();
      const error = await silent;
      expect(error).toBeInstanceOf(KurentoTimeoutError);
      expect((error as Error).message).toBe('no answer from the KMS within 500 ms');
    } finally {
      vi.useRealTimers();
    }
  });

  it('sets no timer with an infinite deadline: it settles when the answer comes', async () => {
    vi.useFakeTimers();
    try {
      let callback: Callback<string> | undefined;
      const answer = kurentoCall<string>((cb) => {
        callback = cb;
      }, Number.POSITIVE_INFINITY);
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(3_600_000);
      callback?.(null, 'late but fine');
      await expect(answer).resolves.toBe('late but fine');
    } finally {
      vi.useRealTimers();
    }
  });
});
