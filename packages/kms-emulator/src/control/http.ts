import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ControlCommand, ControlError } from './commands';

/** The control endpoint once listening. */
export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body)}\n`);
}

/**
 * Serves the fault-control commands over HTTP: `GET /status`, `POST /<command>?arg=value…`
 * (e.g. `POST /stall?on=true&port=8888`). Answers the emulators' status as JSON, or 400 `{error}`.
 */
export function startControlServer(
  host: string,
  port: number,
  run: (command: ControlCommand) => Promise<unknown>,
): Promise<ControlServer> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://control');
    const name = url.pathname.replace(/^\/+|\/+$/g, '');
    if (request.method !== 'POST' && !(request.method === 'GET' && name === 'status')) {
      reply(response, 405, { error: 'use POST /<command> (or GET /status)' });
      return;
    }
    const args = Object.fromEntries(url.searchParams);
    run({ name, args }).then(
      (status) => reply(response, 200, status),
      (error: unknown) =>
        reply(response, error instanceof ControlError ? 400 : 500, { error: (error as Error).message }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
