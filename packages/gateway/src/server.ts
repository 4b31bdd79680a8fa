import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLikeKms } from '@kurento-fleet/kurento-protocol';
import type { WebSocket } from 'ws';

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

/**
 * Listens like KMS (the shared listener: `/kurento`, frame size, `Invalid path`), with the gateway's HTTP
 * routes (metrics, health) on the same port.
 */
export async function listenGateway(
  host: string,
  port: number,
  handlers: ListenerHandlers,
): Promise<GatewayListener> {
  const { server, sockets, port: actualPort } = await listenLikeKms(host, port, handlers);
  return {
    port: actualPort,
    clients: sockets,
    close: async (timeoutMs) => {
      const closing = new Promise<void>((done) => server.close(() => done()));
      await Promise.all(
        [...sockets].map(
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
  };
}
