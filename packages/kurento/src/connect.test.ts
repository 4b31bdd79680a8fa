// Integration: the real kurento-client, loaded by the wrapper, against the KMS emulator. One file, since
// kurento-client keeps its ping state at module level and vitest runs each file in its own process.
import domain from 'node:domain';
import { createServer } from 'node:net';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { kurentoCall } from './call';
import { closeKurentoClient } from './close';
import { createKurentoClient } from './connect';
import type { KurentoClient, MediaPipeline, ServerInfo, ServerManager } from './types';

/** Resolves once the client's socket is open; rejects after `timeoutMs`. */
function socketOpen(client: KurentoClient, timeoutMs = 5000): Promise<void> {
  if (client._re.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    client._re.once('connection', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createKurentoClient with the real kurento-client', () => {
  let emulator: KmsEmulator;
  const clients: KurentoClient[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    // kurento-client logs its reconnection attempts; keep the output readable.
    vi.spyOn(console, 'log').mockImplementation(() => {});
    process.on('uncaughtException', onCrash);
    emulator = await startKmsEmulator({ gcIntervalMs: 0 });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) closeKurentoClient(client);
  });
  afterAll(async () => {
    await emulator?.stop();
    process.off('uncaughtException', onCrash);
    vi.restoreAllMocks();
    expect(crashes).toEqual([]);
  });

  it('survives refused (re)connections, and tells them to onSocketError', async () => {
    const port = await unusedPort();
    const errors: string[] = [];
    const client = createKurentoClient(`ws://127.0.0.1:${port}/kurento`, {
      onSocketError: (error) => {
        errors.push((error as Error).message);
        throw new Error('a faulty listener');
      },
    });
    clients.push(client);
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toContain('ECONNREFUSED');
    expect(crashes).toEqual([]);
  });

  it('connects, answers through kurentoCall, and rejects a server error with its code', async () => {
    const client = createKurentoClient(emulator.url);
    clients.push(client);
    await socketOpen(client);
    const manager = await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
    const info = await kurentoCall<ServerInfo>((cb) => manager.getInfo(cb));
    expect(info).toMatchObject({ type: 'KMS', version: '7.3.0' });
    const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    const error = await kurentoCall((cb) => pipeline.create('Nope', cb)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 40108, message: "Factory 'Nope' not found" });
    await kurentoCall<void>((cb) => pipeline.release(cb));
  });

  it('makes explicit transactions work on current Node (the Domain workaround of loadKurentoClient)', async () => {
    const client = createKurentoClient(emulator.url, { client: { enableTransactions: true } });
    clients.push(client);
    await socketOpen(client);
    const transaction = client.beginTransaction();
    const pipeline = client.create(transaction, 'MediaPipeline');
    const tagged = kurentoCall<void>((cb) => pipeline.addTag(transaction, 'fleetSessionId', 'room-tx', cb));
    expect(emulator.snapshot().pipelines).toEqual([]);
    await kurentoCall((cb) => transaction.commit(cb));
    await tagged;
    expect(emulator.snapshot().pipelines).toEqual([
      expect.objectContaining({ id: pipeline.id, tags: { fleetSessionId: 'room-tx' } }),
    ]);
    await kurentoCall<void>((cb) => pipeline.release(cb));
    // Unset only while kurento-client loaded: the rest of the process keeps Node's Domain.
    expect(domain.Domain).toBeTypeOf('function');
  });

  it('closes at once with closeKurentoClient, even with a call in flight on a stalled KMS', async () => {
    const client = createKurentoClient(emulator.url);
    clients.push(client);
    await socketOpen(client);
    const manager = await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
    emulator.stall(true);
    const stalled = kurentoCall((cb) => manager.getInfo(cb), 200).catch((e: unknown) => e);
    expect(await stalled).toMatchObject({ name: 'KurentoTimeoutError' });
    closeKurentoClient(client);
    expect(client._re.reconnect).toBe(false);
    await expect.poll(() => client._re.connected, { timeout: 2000 }).toBe(false);
    expect(() => closeKurentoClient(client)).not.toThrow();
    emulator.stall(false);
  });
});
