import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { isKurentoPath } from './path';

/** KMS (websocketpp) refuses frames over 32,000,000 bytes (close 1009). */
export const MAX_FRAME_BYTES = 32_000_000;

/** What a KMS-like listener serves. */
export interface KurentoListenerHandlers {
  /** A WebSocket on the Kurento path. */
  socket(socket: WebSocket, request: IncomingMessage): void;
  /** A plain HTTP request; false (or no handler) when it is not one served here: 426 Upgrade Required. */
  http?(request: IncomingMessage, response: ServerResponse): boolean;
}

/** A listening KMS-like server; closing it (gently or not) is its owner's business. */
export interface KurentoListener {
  readonly port: number;
  readonly server: Server;
  /** Every open socket on the Kurento path. */
  readonly sockets: ReadonlySet<WebSocket>;
}

/**
 * Listens as KMS does: WebSockets on `/kurento` (a query is ignored), plain frames (websocketpp negotiates no
 * extension) of at most 32 MB; any other path completes the handshake and is closed with 1002 `Invalid path`.
 * The KMS emulator and the gateway both listen by it, so an application cannot tell them from a KMS.
 */
export function listenLikeKms(
  host: string,
  port: number,
  handlers: KurentoListenerHandlers,
): Promise<KurentoListener> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
  const server = createServer((request, response) => {
    if (handlers.http?.(request, response)) return;
    response.writeHead(426, { 'content-type': 'text/plain' });
    response.end('Upgrade Required\n');
  });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => {});
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      if (isKurentoPath(request.url)) handlers.socket(ws, request);
      else ws.close(1002, 'Invalid path');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ port: (server.address() as AddressInfo).port, server, sockets: wss.clients });
    });
  });
}
