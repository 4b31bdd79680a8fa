// The acceptance program: a small kurento-client application that must run without one error log.
import type { MediaElement, MediaObject, MediaPipeline, ServerManager } from '@kurento-fleet/kurento';
import { createKurentoClient, kurentoCall } from '@kurento-fleet/kurento';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { captureConsoleErrors } from './npm-client';

describe('a kurento-client application against the emulator', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it('creates a pipeline and two connected WebRtcEndpoints, tags, lists and releases with no error log', async () => {
    emulator = await startKmsEmulator({ gcIntervalMs: 0 });
    const consoleErrors = captureConsoleErrors();
    try {
      const client = createKurentoClient(emulator.url, { client: { strict: true } });
      await client;
      const manager = await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
      const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      const caller = await kurentoCall<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb));
      const callee = await kurentoCall<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb));
      await kurentoCall<void>((cb) => caller.connect(callee, cb));
      await kurentoCall<void>((cb) => callee.connect(caller, cb));
      await kurentoCall<void>((cb) => pipeline.addTag('fleet.session', 'session-42', cb));

      expect(await kurentoCall<string>((cb) => pipeline.getTag('fleet.session', cb))).toBe('session-42');
      expect(await kurentoCall((cb) => pipeline.getTags(cb))).toEqual([
        { __module__: 'kurento', __type__: 'Tag', key: 'fleet.session', value: 'session-42' },
      ]);
      expect(await kurentoCall<unknown[]>((cb) => caller.getSinkConnections(cb))).toHaveLength(3);
      const pipelines = await kurentoCall<MediaPipeline[]>((cb) => manager.getPipelines(cb));
      expect(pipelines.map((p) => p.id)).toEqual([pipeline.id]);
      const children = await kurentoCall<MediaObject[]>((cb) => pipeline.getChildren(cb));
      expect(children.map((c) => c.id).sort()).toEqual([caller.id, callee.id].sort());

      await kurentoCall<void>((cb) => pipeline.release(cb));
      expect(emulator.snapshot().objects).toBe(0);
      expect(await kurentoCall<MediaPipeline[]>((cb) => manager.getPipelines(cb))).toEqual([]);
      client.close();
      expect(consoleErrors.calls()).toEqual([]);
    } finally {
      consoleErrors.restore();
    }
  });

  it('does the same through implicit transactions (useImplicitTransactions)', async () => {
    const frames: WireFrame[] = [];
    emulator = await startKmsEmulator({ gcIntervalMs: 0, onFrame: (frame) => frames.push(frame) });
    const consoleErrors = captureConsoleErrors();
    try {
      const client = createKurentoClient(emulator.url, { client: { useImplicitTransactions: true } });
      await client;
      const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      const [caller, callee] = await Promise.all([
        kurentoCall<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb)),
        kurentoCall<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb)),
      ]);
      await kurentoCall<void>((cb) => (caller as MediaElement).connect(callee as MediaElement, cb));
      await kurentoCall<void>((cb) => pipeline.addTag('fleet.session', 'session-43', cb));
      expect(emulator.snapshot().pipelines).toEqual([
        { id: pipeline.id, name: pipeline.id, tags: { 'fleet.session': 'session-43' }, children: 2 },
      ]);
      await kurentoCall<void>((cb) => pipeline.release(cb));
      client.close();
      expect(consoleErrors.calls()).toEqual([]);
    } finally {
      consoleErrors.restore();
    }
    const methods = frames.filter((f) => f.direction === 'in').map((f) => JSON.parse(f.text).method);
    expect(methods).toContain('transaction');
  });
});
