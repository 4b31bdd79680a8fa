import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isKurentoPath } from '@kurento-fleet/kurento-protocol';
import { type WebSocket, WebSocketServer } from 'ws';

/** A listening socket that can be closed, connections and all. */
export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves WebSockets on host:port. A wrong path still completes the handshake, then is closed with 1002
 * `Invalid path`, as KMS does; only sockets on the right path reach `onSocket`.
 */
export function listen(
  host: string,
  port: number,
  onSocket: (socket: WebSocket, request: IncomingMessage) => void,
): Promise<Listener> {
  // KMS (websocketpp) negotiates no extension; keep frames plain.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' });
    response.end('Upgrade Required\n');
  });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => {});
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      if (isKurentoPath(request.url)) onSocket(ws, request);
      else ws.close(1002, 'Invalid path');
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actualPort = (server.address() as AddressInfo).port;
      resolve({
        port: actualPort,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of wss.clients) ws.terminate();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
