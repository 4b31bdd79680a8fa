import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy whose connections a test can cut, as a network failure between client and server. */
export interface TcpProxy {
  readonly port: number;
  /** Connections made through it so far. */
  readonly accepted: number;
  /** Cuts every connection open now (both sides); new ones are still accepted. */
  dropAll(): void;
  /** A partition: cuts every connection and refuses new ones until `heal()`. */
  partition(): void;
  heal(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free port to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let partitioned = false;
  const server = createServer((client) => {
    if (partitioned) {
      client.destroy();
      return;
    }
    accepted += 1;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    get accepted() {
      return accepted;
    },
    dropAll() {
      for (const socket of open) socket.destroy();
    },
    partition() {
      partitioned = true;
      for (const socket of open) socket.destroy();
    },
    heal() {
      partitioned = false;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
