// One file per npm-client case: the client keeps its ping state at module level (§8).
import { setTimeout as sleep } from 'node:timers/promises';
import type { KurentoError, MediaPipeline, ServerInfo, ServerManager } from '@kurento-fleet/kurento';
import { createKurentoClient, kurentoCall } from '@kurento-fleet/kurento';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { nextEvent } from './npm-client';

describe('conformance: the real npm kurento-client (§8)', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it("case 23: the KMS process restarts: backoff retries, 40007, 'reconnected'(false), then 40101 on old objects", async () => {
    const frames: WireFrame[] = [];
    emulator = await startKmsEmulator({ gcIntervalMs: 0, onFrame: (frame) => frames.push(frame) });
    const client = createKurentoClient(emulator.url);
    await client;
    const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    const sessionId = client.sessionId;
    const oldServerId = emulator.serverId;
    const retries: number[] = [];
    client._re.on('reconnect', (_attempt: number, delay: number) => retries.push(delay));

    await emulator.kill();
    await sleep(1300);
    // Refused attempts back off along the fibonacci sequence (100, 100, 200, 300, 500, …).
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries.slice(0, 3)).toEqual([100, 100, 200]);

    const reconnected = nextEvent(client, 'reconnected', 5000);
    await emulator.start();
    expect(await reconnected).toEqual([false]);
    expect(emulator.serverId).not.toBe(oldServerId);

    const last = Math.max(...frames.map((f) => f.connection));
    const requests = frames
      .filter((f) => f.connection === last && f.direction === 'in')
      .map((f) => JSON.parse(f.text));
    expect(requests[0]).toMatchObject({ method: 'ping' });
    expect(requests[1]).toMatchObject({ method: 'connect', params: { sessionId } });
    const reply = frames
      .filter((f) => f.connection === last && f.direction === 'out')
      .map((f) => JSON.parse(f.text))
      .find((m) => m.id === requests[1].id);
    expect(reply).toStrictEqual({
      id: requests[1].id,
      jsonrpc: '2.0',
      error: { code: 40007, message: 'Invalid session', data: { type: 'INVALID_SESSION' } },
    });

    const manager = await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
    expect((await kurentoCall<ServerInfo>((cb) => manager.getInfo(cb))).version).toBe('7.3.0');

    const error = await kurentoCall<string>((cb) => pipeline.getName(cb)).then(
      () => undefined,
      (e: KurentoError) => e,
    );
    expect(error).toBeInstanceOf(ReferenceError);
    expect(error).toMatchObject({ code: 40101, message: `Object '${pipeline.id}' not found` });
    client.close();
  });
});
