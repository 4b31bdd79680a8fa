import {
  connectRawClient,
  type KmsEmulator,
  type RawKmsClient,
  startKmsEmulator,
} from '@kurento-fleet/kms-emulator';
import { silentLogger } from '@kurento-fleet/log';
import { afterEach } from 'vitest';
import { type Gateway, type GatewayOptions, startGateway } from '../gateway';
import { MemoryFleet } from './memory-fleet';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** A gateway over in-process emulators and an in-memory fleet, torn down after each test. */
export interface Harness {
  fleet: MemoryFleet;
  emulators: Record<string, KmsEmulator>;
  /** The gateway reaches each KMS through one of these (for partitions). */
  links: Record<string, TcpProxy>;
  gateway: Gateway;
  client(path?: string): Promise<RawKmsClient>;
  /** Starts another gateway on the same fleet (e.g. the same id after a stop: a restart). */
  startGateway(options?: Partial<GatewayOptions>): Promise<Gateway>;
}

/** Registers the cleanup; call `start` in each test. */
export function useHarness(): {
  start(weights?: Record<string, number>, options?: Partial<GatewayOptions>): Promise<Harness>;
} {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async start(weights = { a: 1, b: 1 }, options = {}) {
      const emulators: Record<string, KmsEmulator> = {};
      const links: Record<string, TcpProxy> = {};
      for (const id of Object.keys(weights)) {
        const emulator = await startKmsEmulator({ gcIntervalMs: 0 });
        emulators[id] = emulator;
        cleanups.push(() => emulator.stop());
        const link = await startTcpProxy(emulator.port);
        links[id] = link;
        cleanups.push(() => link.close());
      }
      const fleet = new MemoryFleet(
        Object.entries(weights).map(([id, weight]) => ({
          id,
          uri: `ws://127.0.0.1:${(links[id] as TcpProxy).port}/kurento`,
          weight,
        })),
      );
      const launch = async (extra: Partial<GatewayOptions> = {}) => {
        const gateway = await startGateway({
          fleet,
          gatewayId: 'test-gw',
          port: 0,
          graceMs: 200,
          connectTimeoutMs: 1000,
          topologyRefreshMs: 60_000,
          log: silentLogger,
          ...options,
          ...extra,
        });
        cleanups.push(() => gateway.stop());
        return gateway;
      };
      const gateway = await launch();
      return {
        fleet,
        emulators,
        links,
        gateway,
        async client(path = '/kurento') {
          const client = await connectRawClient(`ws://127.0.0.1:${gateway.port}${path}`);
          cleanups.push(() => client.close());
          return client;
        },
        startGateway: launch,
      };
    },
  };
}
