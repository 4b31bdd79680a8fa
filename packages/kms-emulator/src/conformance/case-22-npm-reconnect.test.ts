// One file per npm-client case: the client keeps its ping state at module level (§8).
import type { MediaPipeline, ServerManager } from '@kurento-fleet/kurento';
import { createKurentoClient, kurentoCall } from '@kurento-fleet/kurento';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { nextEvent } from './npm-client';

describe('conformance: the real npm kurento-client (§8)', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it("case 22: the server drops the socket but stays up: 'reconnected'(true) within ~1 s, ping then connect {sessionId}", async () => {
    const frames: WireFrame[] = [];
    emulator = await startKmsEmulator({ gcIntervalMs: 0, onFrame: (frame) => frames.push(frame) });
    const client = createKurentoClient(emulator.url);
    await client;
    const manager = await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
    const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    const sessionId = client.sessionId;
    const serverId = emulator.serverId;

    const reconnected = nextEvent(client, 'reconnected', 1500);
    const dropped = performance.now();
    emulator.dropConnections();
    expect(await reconnected).toEqual([true]);
    expect(performance.now() - dropped).toBeLessThan(1000);

    const second = frames
      .filter((f) => f.connection === 2 && f.direction === 'in')
      .map((f) => JSON.parse(f.text));
    expect(second[0]).toMatchObject({ jsonrpc: '2.0', method: 'ping' });
    expect(second[1]).toMatchObject({ jsonrpc: '2.0', method: 'connect', params: { sessionId } });
    const connectReply = frames
      .filter((f) => f.connection === 2 && f.direction === 'out')
      .map((f) => JSON.parse(f.text))
      .find((m) => m.id === second[1].id);
    expect(connectReply).toStrictEqual({ id: second[1].id, jsonrpc: '2.0', result: { serverId, sessionId } });

    // Same session, same objects: the old proxies keep working.
    expect(await kurentoCall<string>((cb) => pipeline.getName(cb))).toBe(pipeline.id);
    expect((await kurentoCall<MediaPipeline[]>((cb) => manager.getPipelines(cb))).map((p) => p.id)).toEqual([
      pipeline.id,
    ]);
    client.close();
  });
});
