// Integration: a listener that accepts TCP but never completes the WebSocket handshake. kurento-client has no
// handshake timeout, so without the connection's watchdog it would wait forever.
import { createServer, type Server, type Socket } from 'node:net';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { expect, it } from 'vitest';
import { guardAgainstCrashes, waitUntil, watchKms } from './testing/real-kms';

guardAgainstCrashes();

it('a hung handshake: down, the client recreated after connectTimeoutMs, up once a real KMS listens', async () => {
  const hung: Socket[] = [];
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    hung.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const watch = watchKms(`ws://127.0.0.1:${port}/kurento`, { connectTimeoutMs: 800 });
  let emulator: KmsEmulator | undefined;
  try {
    await waitUntil(() => watch.status() === 'down', 2000, 'down');
    expect(watch.watcher.state().reason).toMatch(
      /^not connected to the KMS: connection attempt pending for \d+ ms$/,
    );
    // The watchdog gives up on the first attempt and opens a fresh client.
    await waitUntil(() => hung.length >= 2, 3000, 'a second attempt');

    // The listener goes away (its hung sockets stay open) and a real KMS takes the port.
    // close() stops listening at once; its callback would wait for the hung sockets.
    server.close();
    emulator = await startKmsEmulator({ port, gcIntervalMs: 0 });
    await waitUntil(() => watch.status() === 'up', 4000, 'up');
  } finally {
    await watch.stop();
    await emulator?.stop();
    // The abandoned clients now see their sockets fail: handled, no crash (checked in afterAll).
    for (const socket of hung) socket.destroy();
    server.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
