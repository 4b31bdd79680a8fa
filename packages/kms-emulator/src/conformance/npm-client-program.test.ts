// The acceptance program: a small kurento-client application that must run without one error log.
import type { MediaElement, MediaObject, MediaPipeline, ServerManager } from 'kurento-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { call, captureConsoleErrors, openNpmClient } from './npm-client';

describe('a kurento-client application against the emulator', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it('creates a pipeline and two connected WebRtcEndpoints, tags, lists and releases with no error log', async () => {
    emulator = await startKmsEmulator({ gcIntervalMs: 0 });
    const consoleErrors = captureConsoleErrors();
    try {
      const client = openNpmClient(emulator.url);
      await client;
      const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
      const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      const caller = await call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb));
      const callee = await call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb));
      await call<void>((cb) => caller.connect(callee, cb));
      await call<void>((cb) => callee.connect(caller, cb));
      await call<void>((cb) => pipeline.addTag('fleet.session', 'session-42', cb));

      expect(await call<string>((cb) => pipeline.getTag('fleet.session', cb))).toBe('session-42');
      expect(await call((cb) => pipeline.getTags(cb))).toEqual([
        { __module__: 'kurento', __type__: 'Tag', key: 'fleet.session', value: 'session-42' },
      ]);
      expect(await call<unknown[]>((cb) => caller.getSinkConnections(cb))).toHaveLength(3);
      const pipelines = await call<MediaPipeline[]>((cb) => manager.getPipelines(cb));
      expect(pipelines.map((p) => p.id)).toEqual([pipeline.id]);
      const children = await call<MediaObject[]>((cb) => pipeline.getChildren(cb));
      expect(children.map((c) => c.id).sort()).toEqual([caller.id, callee.id].sort());

      await call<void>((cb) => pipeline.release(cb));
      expect(emulator.snapshot().objects).toBe(0);
      expect(await call<MediaPipeline[]>((cb) => manager.getPipelines(cb))).toEqual([]);
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
      const client = openNpmClient(emulator.url, { useImplicitTransactions: true });
      await client;
      const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      const [caller, callee] = await Promise.all([
        call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb)),
        call<MediaElement>((cb) => pipeline.create('WebRtcEndpoint', cb)),
      ]);
      await call<void>((cb) => (caller as MediaElement).connect(callee as MediaElement, cb));
      await call<void>((cb) => pipeline.addTag('fleet.session', 'session-43', cb));
      expect(emulator.snapshot().pipelines).toEqual([
        { id: pipeline.id, name: pipeline.id, tags: { 'fleet.session': 'session-43' }, children: 2 },
      ]);
      await call<void>((cb) => pipeline.release(cb));
      client.close();
      expect(consoleErrors.calls()).toEqual([]);
    } finally {
      consoleErrors.restore();
    }
    const methods = frames.filter((f) => f.direction === 'in').map((f) => JSON.parse(f.text).method);
    expect(methods).toContain('transaction');
  });
});
