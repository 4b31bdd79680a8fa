import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A heartbeat as the stand-in control plane received it. */
interface ReceivedHeartbeat {
  at: number;
  nodeId: string;
  authorization: string | undefined;
  body: any;
}

/**
 * A tiny HTTP server that answers heartbeats like the control plane (200 {heartbeatIntervalMs}), records
 * them, and can be stopped and started again on the same port to play an outage.
 */
export interface StandInControlPlane {
  readonly url: string;
  readonly heartbeats: ReceivedHeartbeat[];
  /** Status of the answers from now on; 200 by default. */
  status: number;
  intervalMs: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startStandInControlPlane(intervalMs = 2000): Promise<StandInControlPlane> {
  let server: Server | undefined;
  let port = 0;
  const plane: StandInControlPlane = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    heartbeats: [],
    status: 200,
    intervalMs,
    async start() {
      const next = createServer((request, response) => {
        let text = '';
        request.on('data', (chunk) => {
          text += chunk;
        });
        request.on('end', () => {
          const nodeId = /^\/v1\/nodes\/([^/]+)\/heartbeat$/.exec(request.url ?? '')?.[1];
          if (request.method === 'POST' && nodeId) {
            plane.heartbeats.push({
              at: performance.now(),
              nodeId: decodeURIComponent(nodeId),
              authorization: request.headers.authorization,
              body: JSON.parse(text),
            });
          }
          const ok = plane.status === 200;
          response.writeHead(plane.status, { 'content-type': 'application/json', connection: 'close' });
          response.end(
            JSON.stringify(
              ok ? { heartbeatIntervalMs: plane.intervalMs } : { error: { code: 'X', message: 'refused' } },
            ),
          );
        });
      });
      await new Promise<void>((resolve) => next.listen(port, '127.0.0.1', resolve));
      port = (next.address() as AddressInfo).port;
      server = next;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
  await plane.start();
  return plane;
}
