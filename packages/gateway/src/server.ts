import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isKurentoPath } from '@kurento-fleet/kurento-protocol';
import { type WebSocket, WebSocketServer } from 'ws';

/** The gateway's listener: the Kurento WebSocket path, and plain HTTP for metrics and health. */
export interface GatewayListener {
  readonly port: number;
  /** Every open application socket. */
  readonly clients: ReadonlySet<WebSocket>;
  /**
   * Stops listening and closes every application socket with a close frame (1001, going away), waiting up to
   * `timeoutMs` for each close handshake: a TCP reset is what OpenVidu reads as a crashed KMS.
   */
  close(timeoutMs: number): Promise<void>;
}

/** What the listener serves. */
export interface ListenerHandlers {
  socket(socket: WebSocket): void;
  /** An HTTP request (not an upgrade); false when it is not one the gateway serves. */
  http(request: IncomingMessage, response: ServerResponse): boolean;
}

/** KMS (websocketpp) refuses frames over 32,000,000 bytes (close 1009); the gateway keeps the same bound. */
const MAX_FRAME_BYTES = 32_000_000;

/**
 * Listens like KMS: WebSockets on `/kurento` (a query is ignored); any other path completes the handshake and
 * is closed with 1002 `Invalid path`.
 */
export function listenGateway(
  host: string,
  port: number,
  handlers: ListenerHandlers,
): Promise<GatewayListener> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
  const server = createServer((request, response) => {
    if (handlers.http(request, response)) return;
    response.writeHead(426, { 'content-type': 'text/plain' });
    response.end('Upgrade Required\n');
  });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => {});
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      if (isKurentoPath(request.url)) handlers.socket(ws);
      else ws.close(1002, 'Invalid path');
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        clients: wss.clients,
        close: async (timeoutMs) => {
          const closing = new Promise<void>((done) => server.close(() => done()));
          await Promise.all(
            [...wss.clients].map(
              (ws) =>
                new Promise<void>((done) => {
                  const timer = setTimeout(() => {
                    ws.terminate();
                    done();
                  }, timeoutMs);
                  ws.once('close', () => {
                    clearTimeout(timer);
                    done();
                  });
                  ws.close(1001, 'Gateway shutting down');
                }),
            ),
          );
          server.closeAllConnections();
          await closing;
        },
      });
    });
  });
}
