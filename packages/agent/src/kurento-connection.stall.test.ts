// Integration: the real kurento-client against a KMS that stops answering, or answers slowly.
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAST, guardAgainstCrashes, type RealWatch, waitUntil, watchKms } from './testing/real-kms';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

guardAgainstCrashes();

describe('kurento connection: a stalled or slow KMS', () => {
  let emulator: KmsEmulator;
  let watch: RealWatch | undefined;
  const frames: string[] = [];
  beforeAll(async () => {
    emulator = await startKmsEmulator({
      gcIntervalMs: 0,
      onFrame: (frame) => {
        if (frame.direction === 'in') frames.push(frame.text);
      },
    });
  });
  afterEach(async () => {
    await watch?.stop();
    watch = undefined;
    emulator.stall(false);
    emulator.setDelay(0);
  });
  afterAll(() => emulator.stop());

  it('stalled: down once the deadline passes; resumed: up again', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    emulator.stall(true);
    const downAfter = await waitUntil(() => watch?.status() === 'down', 2000, 'down');
    expect(downAfter).toBeLessThan(FAST.intervalMs + FAST.deadlineMs + 200);
    const firstDown = watch.updates.find((update) => update.state.status === 'down');
    expect(firstDown?.state.reason).toMatch(/^no answer within 600 ms \(.*getUsedCpu.*\)$/);
    await sleep(1000);
    emulator.stall(false);
    const upAfter = await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    expect(upAfter).toBeLessThan(FAST.intervalMs + FAST.deadlineMs);
    expect(watch.watcher.state().restarts).toBe(0);
  });

  it('stalled for a while: requests do not pile up on the silent KMS', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    emulator.stall(true);
    frames.length = 0;
    await sleep(2000);
    // 2 s at one probe per 200 ms would be 10 probes, ~60 requests; only the first probe's calls went out.
    expect(frames.length).toBeLessThanOrEqual(7);
    expect(watch.watcher.state().reason).toMatch(/has not answered the previous probe|no answer within/);
  });

  it('slow, within the deadline: stays up', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    // getUsedCpu takes the delay plus its 50 ms sample: 450 ms, inside the 600 ms deadline.
    emulator.setDelay(400);
    await sleep(2000);
    expect(watch.updates.filter((update) => update.transition)).toHaveLength(1);
    expect(watch.status()).toBe('up');
  });

  it('slower than the deadline: down; faster again: up', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    emulator.setDelay(800);
    await waitUntil(() => watch?.status() === 'down', 2000, 'down');
    await sleep(1000);
    expect(watch.status()).toBe('down');
    emulator.setDelay(0);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
  });
});
