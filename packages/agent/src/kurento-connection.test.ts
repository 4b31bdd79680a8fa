// Integration: the real kurento-client against the KMS emulator. One file per group of scenarios, since
// kurento-client keeps its ping state at module level (docs/kurento-protocol.md) and vitest runs each file in its own process.
import { connectRawClient, type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { silentLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectKurento } from './kurento-connection';
import { crashGuard, FAST, type RealWatch, waitUntil, watchKms } from './testing/real-kms';

let restoreConsole: () => void;
beforeAll(() => {
  // kurento-client prints its reconnection attempts with console.log.
  restoreConsole = routeConsoleToLogger(silentLogger);
});
afterAll(() => restoreConsole());

describe('kurento connection: a live KMS', () => {
  let emulator: KmsEmulator;
  let watch: RealWatch | undefined;
  const guard = crashGuard();
  beforeAll(async () => {
    emulator = await startKmsEmulator({ gcIntervalMs: 0, cpuCount: 8 });
  });
  afterEach(async () => {
    await watch?.stop();
    watch = undefined;
  });
  afterAll(async () => {
    await emulator.stop();
    guard.assertNone();
    guard.dispose();
  });

  it('reports version, CPU, memory, pipelines and the process start time', async () => {
    emulator.setLoad({ cpuPercent: 42.5, memoryKiB: 123_456 });
    const raw = await connectRawClient(emulator.url);
    for (let i = 0; i < 2; i++)
      await raw.request('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} });
    const connection = connectKurento(emulator.url, { cpuSampleMs: FAST.cpuSampleMs });
    try {
      // The first probe waits for the socket being opened.
      const probe = await connection.probe(FAST.deadlineMs);
      expect(probe).toMatchObject({
        ok: true,
        report: { version: '7.3.0', cpuCount: 8, usedCpuPercent: 42.5, usedMemoryKiB: 123_456, pipelines: 2 },
      });
      const startedAt = probe.ok ? Date.parse(probe.report.startedAt ?? '') : Number.NaN;
      expect(Math.abs(Date.now() - startedAt)).toBeLessThan(60_000);
    } finally {
      await connection.close();
      await raw.close();
      emulator.setLoad({ cpuPercent: null, memoryKiB: null });
    }
  });

  it('goes up on the first probes and stays up, one transition only', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(watch.updates.filter((update) => update.transition)).toHaveLength(1);
    expect(watch.updates.length).toBeGreaterThanOrEqual(4);
    expect(watch.watcher.state().restarts).toBe(0);
  });

  it('a dropped socket (network blip, same process) is no restart, and it is up again within a second', async () => {
    watch = watchKms(emulator.url);
    await waitUntil(() => watch?.status() === 'up', 2000, 'up');
    const startedAt = watch.watcher.state().report?.startedAt;
    const before = watch.updates.length;
    const accepted = emulator.snapshot().connectionsAccepted;
    emulator.dropConnections();
    await waitUntil(() => watch?.status() === 'down', 1000, 'down');
    await waitUntil(() => watch?.status() === 'up', 1000, 'up again');
    expect(watch.updates.slice(before).filter((update) => update.transition)).toHaveLength(2);
    expect(emulator.snapshot().connectionsAccepted).toBe(accepted + 1);
    expect(watch.watcher.state().restarts).toBe(0);
    expect(watch.watcher.state().report?.startedAt).toBe(startedAt);
  });

  it('close() ends it for good: probes fail, and no reconnection is attempted', async () => {
    const connection = connectKurento(emulator.url, { cpuSampleMs: FAST.cpuSampleMs });
    expect(await connection.probe(FAST.deadlineMs)).toMatchObject({ ok: true });
    const accepted = emulator.snapshot().connectionsAccepted;
    await connection.close();
    expect(await connection.probe(FAST.deadlineMs)).toEqual({ ok: false, reason: 'connection closed' });
    emulator.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(emulator.snapshot().connectionsAccepted).toBe(accepted);
  });
});
