import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { kurentoError } from '@kurento-fleet/kurento-protocol';
import type { OperationTable } from './objects/invoke';
import type { TypeRegistry } from './objects/kmd';
import { asString, complexValue } from './objects/values';

/** The version a KMS 7.3 reports for itself and its modules. */
export const KMS_VERSION = '7.3.0';

// KMS modules report their build time (__DATE__ " " __TIME__ of the module's build).
const GENERATION_TIME = 'Nov 13 2023 16:23:48';

/** getInfo's ServerInfo: version, type KMS, the transactions capability and one ModuleInfo per module (§6). */
export function buildServerInfo(registry: TypeRegistry): JsonObject {
  return complexValue('ServerInfo', {
    capabilities: ['transactions'],
    modules: registry.modules.map((module) =>
      complexValue('ModuleInfo', {
        factories: module.factories,
        generationTime: GENERATION_TIME,
        name: module.name,
        version: module.version,
      }),
    ),
    type: 'KMS',
    version: KMS_VERSION,
  });
}

/** The ServerManager's operations (ServerManagerImpl). */
export const serverManagerOperations: OperationTable = {
  'ServerManager.getInfo': ({ server }) => server.serverInfo,
  'ServerManager.getPipelines': ({ set }) => set.pipelineIds(),
  'ServerManager.getSessions': ({ set }) => set.sessionIds(),
  'ServerManager.getMetadata': ({ server }) => server.metadata,
  'ServerManager.getKmd': ({ set, params }) => {
    const name = asString(params.moduleName);
    const module = set.registry.modules.find((m) => m.name === name);
    if (!module) throw kurentoError('UNDEFINED', "Requested kmd module doesn't exist");
    return module.kmd;
  },
  'ServerManager.getCpuCount': ({ server }) => server.cpuCount,
  // KMS samples /proc for `interval` ms before it answers: the reply really comes that much later.
  'ServerManager.getUsedCpu': async ({ server, params }) => {
    const interval = typeof params.interval === 'number' ? params.interval : 0;
    await sleep(Math.max(0, interval));
    return server.usedCpuPercent();
  },
  'ServerManager.getUsedMemory': ({ server }) => server.usedMemoryKiB(),
};
