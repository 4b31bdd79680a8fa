import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { SERVER_MANAGER_ID as SM } from '../../objects/media-set';
import type { RawKmsClient } from '../../raw-client';
import { expectKurentoError, resultOf } from '../helpers';
import type { ConformanceTarget } from './target';

function invokeManager(client: RawKmsClient, operation: string, operationParams?: JsonObject) {
  const params: JsonObject = { object: SM, operation };
  if (operationParams) params.operationParams = operationParams;
  return client.request('invoke', params);
}

/** Cases 5, 6 and 16: what the ServerManager reports (§6). */
export function serverManagerCases(target: () => ConformanceTarget): void {
  describe('ServerManager', () => {
    it('case 5: getInfo reports a KMS with transactions and the core, elements and filters modules', async () => {
      const client = await target().client();
      const { sessionId } = resultOf(await client.request('describe', { object: SM }));

      const result = resultOf(await invokeManager(client, 'getInfo'));
      expect(result.sessionId).toBe(sessionId);
      const info = result.value as JsonObject;
      expect(info).toMatchObject({
        __module__: 'kurento',
        __type__: 'ServerInfo',
        type: 'KMS',
        version: '7.3.0',
      });
      expect(info.capabilities).toEqual(expect.arrayContaining(['transactions']));
      const modules = info.modules as JsonObject[];
      expect(modules.map((m) => m.name)).toEqual(expect.arrayContaining(['core', 'elements', 'filters']));
      for (const module of modules) {
        expect(module).toStrictEqual({
          __module__: 'kurento',
          __type__: 'ModuleInfo',
          factories: expect.any(Array),
          generationTime: expect.stringMatching(/\S/),
          name: expect.any(String),
          version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        });
      }
      const factories = Object.fromEntries(modules.map((m) => [m.name, m.factories]));
      expect(factories.core).toEqual(expect.arrayContaining(['HubPort', 'PassThrough', 'MediaPipeline']));
      expect(factories.elements).toEqual(
        expect.arrayContaining([
          'AlphaBlending',
          'Composite',
          'Dispatcher',
          'DispatcherOneToMany',
          'HttpPostEndpoint',
          'Mixer',
          'PlayerEndpoint',
          'RecorderEndpoint',
          'RtpEndpoint',
          'WebRtcEndpoint',
        ]),
      );
      expect(factories.filters).toEqual(
        expect.arrayContaining(['FaceOverlayFilter', 'GStreamerFilter', 'ImageOverlayFilter', 'ZBarFilter']),
      );
    });

    it('case 6: getCpuCount, getUsedMemory, getMetadata, and getUsedCpu answered only after its interval', async () => {
      const client = await target().client();

      const cpuCount = resultOf(await invokeManager(client, 'getCpuCount')).value;
      expect(Number.isInteger(cpuCount)).toBe(true);
      expect(cpuCount).toBeGreaterThanOrEqual(1);
      const memory = resultOf(await invokeManager(client, 'getUsedMemory')).value;
      expect(Number.isInteger(memory)).toBe(true);
      expect(memory).toBeGreaterThan(0);
      expect(resultOf(await invokeManager(client, 'getMetadata')).value).toBe(target().metadata);

      const started = performance.now();
      const cpu = resultOf(await invokeManager(client, 'getUsedCpu', { interval: 1000 })).value;
      expect(performance.now() - started).toBeGreaterThanOrEqual(990);
      expect(typeof cpu).toBe('number');

      // The interval is required: the generated unmarshalling rejects its absence.
      expectKurentoError(
        await invokeManager(client, 'getUsedCpu'),
        4,
        40001,
        "'operationParams' is required",
        'MARSHALL_ERROR',
      );
      expectKurentoError(
        await invokeManager(client, 'getUsedCpu', { interval: 'soon' }),
        5,
        40001,
        "'interval' parameter should be a integer",
        'MARSHALL_ERROR',
      );
    });

    it("case 16: getKmd of an unknown module is 40500 Requested kmd module doesn't exist, type UNDEFINED", async () => {
      const client = await target().client();
      expectKurentoError(
        await invokeManager(client, 'getKmd', { moduleName: 'nope' }),
        0,
        40500,
        "Requested kmd module doesn't exist",
        'UNDEFINED',
      );
      const kmd = JSON.parse(
        resultOf(await invokeManager(client, 'getKmd', { moduleName: 'core' })).value as string,
      );
      expect(kmd).toMatchObject({ name: 'core', version: '7.3.0' });
    });
  });
}
