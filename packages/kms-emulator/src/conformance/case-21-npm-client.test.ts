// One file per npm-client case: the client keeps its ping state at module level (§8), and vitest runs each
// file in a fresh process.
import type { MediaPipeline, ServerInfo, ServerManager } from '@kurento-fleet/kurento';
import { createKurentoClient, kurentoCall } from '@kurento-fleet/kurento';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { captureConsoleErrors } from './npm-client';

describe('conformance: the real npm kurento-client (§8)', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it('case 21: connect, getServerManager, getInfo, create MediaPipeline, release, with no console errors', async () => {
    const frames: WireFrame[] = [];
    emulator = await startKmsEmulator({ gcIntervalMs: 0, onFrame: (frame) => frames.push(frame) });
    const consoleErrors = captureConsoleErrors();
    try {
      // strict: the client checks the modules the KMS reports (core, elements, filters), as by default.
      const client = createKurentoClient(emulator.url, { client: { strict: true } });
      await client;
      const manager = await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
      const info = await kurentoCall<ServerInfo>((cb) => manager.getInfo(cb));
      expect(info.version).toBe('7.3.0');
      const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      expect(pipeline.id).toMatch(/_kurento\.MediaPipeline$/);
      expect(emulator.snapshot().pipelines.map((p) => p.id)).toEqual([pipeline.id]);
      await kurentoCall<void>((cb) => pipeline.release(cb));
      expect(emulator.snapshot().pipelines).toEqual([]);
      client.close();
      expect(consoleErrors.calls()).toEqual([]);
    } finally {
      consoleErrors.restore();
    }

    const first = frames.find((f) => f.direction === 'in');
    expect(JSON.parse(first?.text ?? '{}')).toStrictEqual({
      jsonrpc: '2.0',
      method: 'ping',
      params: { interval: 5000 },
      id: 0,
    });
    // Every answer the client got was a success: no error left the emulator.
    const replies = frames.filter((f) => f.direction === 'out').map((f) => JSON.parse(f.text));
    expect(replies.length).toBeGreaterThanOrEqual(5);
    expect(replies.filter((r) => r.error)).toEqual([]);
  });
});
