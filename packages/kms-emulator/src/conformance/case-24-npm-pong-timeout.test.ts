// One file per npm-client case: the client keeps its ping state at module level (§8).
import { setTimeout as sleep } from 'node:timers/promises';
import { createKurentoClient } from '@kurento-fleet/kurento';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';

describe('conformance: the real npm kurento-client (§8)', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it('case 24: pongs withheld: after ~20 s the ping-failure log line, and no reconnect, no event', async () => {
    const frames: WireFrame[] = [];
    emulator = await startKmsEmulator({ gcIntervalMs: 0, onFrame: (frame) => frames.push(frame) });
    // A stalled KMS still completes handshakes; it just never answers.
    emulator.stall(true);
    const logged: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args.join(' '));
    });
    try {
      // strict: false skips the module check, whose describe would time out as well.
      const client = createKurentoClient(emulator.url);
      const events: string[] = [];
      for (const event of ['reconnected', 'disconnect', 'disconnected', 'connectionFailed']) {
        client.on(event, () => events.push(event));
      }
      await client;
      const sent = performance.now();

      const failure = /^Server did not respond to ping message 1\.$/;
      while (!logged.some((line) => failure.test(line)) && performance.now() - sent < 25_000)
        await sleep(100);
      const elapsed = performance.now() - sent;
      expect(logged.filter((line) => failure.test(line))).toHaveLength(1);
      expect(elapsed).toBeGreaterThanOrEqual(19_500);

      await sleep(500);
      expect(events).toEqual([]);
      expect(emulator.snapshot().connectionsAccepted).toBe(1);
      const received = frames.filter((f) => f.direction === 'in').map((f) => JSON.parse(f.text));
      expect(received).toStrictEqual([{ jsonrpc: '2.0', method: 'ping', params: { interval: 5000 }, id: 0 }]);
      expect(frames.filter((f) => f.direction === 'out')).toEqual([]);
      client.close();
    } finally {
      log.mockRestore();
    }
  }, 35_000);
});
