// Integration: the real kurento-client against the KMS emulator being killed and restarted.
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardAgainstCrashes, type RealWatch, waitUntil, watchKms } from './testing/real-kms';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** getCreationTime has a 1-second resolution: restarts further apart than that get a new startedAt. */
const CREATION_TIME_RESOLUTION_MS = 1100;

// Nothing the KMS did, in any test of this file, crashed the process or leaked listeners.
guardAgainstCrashes();

describe('kurento connection: the KMS process dies and comes back', () => {
  let emulator: KmsEmulator;
  let watch: RealWatch | undefined;
  beforeAll(async () => {
    emulator = await startKmsEmulator({ gcIntervalMs: 0 });
  });
  afterEach(async () => {
    await watch?.stop();
    watch = undefined;
    await emulator.start();
  });
  afterAll(() => emulator.stop());

  it('down at start: reported down (connection refused), up as soon as it appears', async () => {
    await emulator.kill();
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'down', 1000, 'down');
    expect(watch.watcher.state().reason).toMatch(/^not connected to the KMS: .*ECONNREFUSED/);
    // Long enough for kurento-client's own backoff to reach 800 ms between attempts.
    await sleep(1500);
    await emulator.start();
    const upAfter = await waitUntil(() => watch?.status() === 'up', 1500, 'up');
    expect(upAfter).toBeLessThan(600);
    expect(watch.watcher.state().restarts).toBe(0);
  });

  it('killed: down within milliseconds; restarted: up again, the restart noticed with a new startedAt', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    const firstStart = watch.watcher.state().report?.startedAt;
    await sleep(CREATION_TIME_RESOLUTION_MS);

    await emulator.kill();
    const downAfter = await waitUntil(() => watch?.status() === 'down', 1000, 'down');
    expect(downAfter).toBeLessThan(100);
    expect(watch.watcher.state().reason).toMatch(/connection to the KMS lost|not connected/);

    await sleep(1500);
    await emulator.start();
    const upAfter = await waitUntil(() => watch?.status() === 'up', 1500, 'up');
    expect(upAfter).toBeLessThan(600);
    await waitUntil(() => watch?.watcher.state().restarts === 1, 1000, 'restart noticed');
    const state = watch.watcher.state();
    expect(state.report?.startedAt).not.toBe(firstStart);
    expect(Date.parse(state.report?.startedAt ?? '')).toBeGreaterThan(Date.parse(firstStart ?? ''));
    expect(watch.updates.filter((update) => update.restarted)).toHaveLength(1);
  });

  it('a restart within the same second is still noticed (the session is lost)', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    await emulator.restart();
    await waitUntil(() => watch?.watcher.state().restarts === 1, 2000, 'restart noticed');
    expect(watch.status()).toBe('up');
  });

  it('survives a burst of kills and restarts, and ends up, with no crash and no listener leak', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    for (let i = 0; i < 8; i++) {
      await emulator.kill();
      await sleep(20 + ((i * 37) % 150));
      await emulator.start();
      await sleep((i * 53) % 120);
    }
    await waitUntil(() => watch?.status() === 'up', 2000, 'up at the end');
    await sleep(300);
    expect(watch.status()).toBe('up');
    expect(watch.watcher.state().restarts).toBeGreaterThanOrEqual(1);
  });

  it('a long outage does not queue requests: the KMS gets a handful of frames when it returns', async () => {
    const frames: string[] = [];
    const counting = await startKmsEmulator({
      gcIntervalMs: 0,
      onFrame: (frame) => frame.direction === 'in' && frames.push(frame.text),
    });
    try {
      watch = watchKms(counting.url);
      await waitUntil(() => watch?.status() === 'up', 2000, 'up');
      await counting.kill();
      await sleep(2000);
      frames.length = 0;
      await counting.start();
      await waitUntil(() => watch?.status() === 'up', 1500, 'up');
      await sleep(50);
      // ping + connect + one probe (describe and six calls), perhaps a second probe: not 2 s worth of probes.
      expect(frames.length).toBeLessThan(20);
    } finally {
      await watch?.stop();
      watch = undefined;
      await counting.stop();
    }
  });
});
