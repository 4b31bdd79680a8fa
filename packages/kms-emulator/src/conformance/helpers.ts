import type { JsonObject, RpcResponse } from '@kurento-fleet/kurento-protocol';
import { afterEach, beforeEach, expect } from 'vitest';
import { type KmsEmulator, type KmsEmulatorOptions, startKmsEmulator } from '../emulator';
import { SERVER_MANAGER_ID } from '../objects/media-set';
import { connectRawClient, type RawKmsClient } from '../raw-client';
import type { ConformanceTarget } from './cases/target';

/** A lowercase UUID, as KMS makes them. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Started emulators and clients are closed after each test. */
export function useEmulator(): {
  start(options?: KmsEmulatorOptions): Promise<KmsEmulator>;
  /** A raw client on the emulator's URL, or on a URL given as is. */
  client(target: KmsEmulator | string): Promise<RawKmsClient>;
} {
  const emulators: KmsEmulator[] = [];
  const clients: RawKmsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(emulators.splice(0).map((e) => e.stop()));
  });
  return {
    start: async (options) => {
      const emulator = await startKmsEmulator({ gcIntervalMs: 0, ...options });
      emulators.push(emulator);
      return emulator;
    },
    client: async (target) => {
      const client = await connectRawClient(typeof target === 'string' ? target : target.url);
      clients.push(client);
      return client;
    },
  };
}

/** The getMetadata value of the emulator target: a non-empty one, so that the case sees it passed through. */
const TARGET_METADATA = '{"zone":"a"}';

/**
 * The emulator as a conformance target: a fresh one for each case (so that its lists hold only the case's
 * objects), stopped after it.
 */
export function useEmulatorTarget(): () => ConformanceTarget {
  const kms = useEmulator();
  let target: ConformanceTarget | undefined;
  beforeEach(async () => {
    const emulator = await kms.start({ metadata: TARGET_METADATA });
    const pipelines = () => emulator.snapshot().pipelines.map((p) => p.id);
    target = {
      client: (path = '/kurento') => kms.client(`ws://127.0.0.1:${emulator.port}${path}`),
      serverId: emulator.serverId,
      connectAgain: 'invalid session',
      metadata: TARGET_METADATA,
      kms: ['emulator'],
      kmsPipelines: async () => pipelines(),
      kmsOf: async (pipeline) => (pipelines().includes(pipeline) ? 'emulator' : undefined),
      sessions: () => emulator.snapshot().sessions,
    };
  });
  return () => {
    if (!target) throw new Error('the emulator target is made before each case');
    return target;
  };
}

/** The result of a success response, after checking the envelope is exactly `{id, jsonrpc, result}`. */
export function resultOf(response: RpcResponse): JsonObject {
  expect(Object.keys(response).sort()).toEqual(['id', 'jsonrpc', 'result']);
  expect(response.jsonrpc).toBe('2.0');
  expect(typeof response.result).toBe('object');
  expect(response.result).not.toBeNull();
  return response.result as JsonObject;
}

/** Checks a Kurento error response exactly: code, message, data.type, and nothing else (no sessionId). */
export function expectKurentoError(
  response: RpcResponse,
  id: number,
  code: number,
  message: string,
  type: string,
) {
  expect(response).toStrictEqual({ id, jsonrpc: '2.0', error: { code, message, data: { type } } });
}

/** Creates a MediaPipeline through a raw client and returns its id. */
export async function createPipeline(client: RawKmsClient, sessionId?: string): Promise<string> {
  const params: JsonObject = { type: 'MediaPipeline', constructorParams: {}, properties: {} };
  if (sessionId) params.sessionId = sessionId;
  return resultOf(await client.request('create', params)).value as string;
}

/** Opens a session by describing the ServerManager, and returns its id. */
export async function openSession(client: RawKmsClient): Promise<string> {
  return resultOf(await client.request('describe', { object: SERVER_MANAGER_ID })).sessionId as string;
}
