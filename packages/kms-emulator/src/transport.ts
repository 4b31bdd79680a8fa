import type { IncomingMessage } from 'node:http';
import { listenLikeKms } from '@kurento-fleet/kurento-protocol';
import type { WebSocket } from 'ws';

/** A listening socket that can be closed, connections and all. */
export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the Kurento path on host:port as KMS does; closing drops every socket at once (a process dying). */
export async function listen(
  host: string,
  port: number,
  onSocket: (socket: WebSocket, request: IncomingMessage) => void,
): Promise<Listener> {
  const { server, sockets, port: actualPort } = await listenLikeKms(host, port, { socket: onSocket });
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((done) => {
        for (const ws of sockets) ws.terminate();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
