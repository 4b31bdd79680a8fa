import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import type { AppMessage, PageMessage } from './page/protocol';
import { type Call, TutorialCalls } from './tutorial-calls';

/** One page's signalling socket, as the server side of a test page sees it. */
export interface PageConnection {
  send(message: AppMessage): void;
  onMessage(handler: (message: PageMessage) => void): void;
  onClose(handler: () => void): void;
}

/** An HTTP server on 127.0.0.1 that serves the test page and its signalling socket (`/call`). */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A running tutorial application: its page URL, its calls (one per page, in order) and a way to stop. */
export interface TutorialApp {
  /** `http://127.0.0.1:PORT/`: a secure context, so the page may use the camera. */
  readonly url: string;
  readonly calls: readonly Call[];
  stop(): Promise<void>;
}

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>kms-emulator test page</title><script src="/client.js"></script>';

/** The page's script, compiled from page/client.ts. */
async function clientScript(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./page/client.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]?.text ?? '';
}

/**
 * Serves the test page on 127.0.0.1 (a secure context, so the page may use the camera) and hands each page's
 * signalling socket to `onPage`.
 */
export async function startPageServer(onPage: (page: PageConnection) => void): Promise<PageServer> {
  const script = await clientScript();
  const server = createServer((request, response) => {
    if (request.url === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(PAGE);
    }
  });
  const wss = new WebSocketServer({ server, path: '/call' });
  wss.on('connection', (socket) => {
    onPage({
      send: (message) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      },
      onMessage: (handler) =>
        socket.on('message', (data) => handler(JSON.parse(data.toString()) as PageMessage)),
      onClose: (handler) => socket.on('close', handler),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Starts the application of Kurento's hello-world and one2many tutorials: it serves the test page, speaks the
 * tutorials' WebSocket messages, and drives the KMS at `kmsUrl` (an emulator, or anything that speaks for one)
 * with the real npm kurento-client.
 */
export async function startTutorialApp(kmsUrl: string): Promise<TutorialApp> {
  const calls = new TutorialCalls(kmsUrl);
  const server = await startPageServer((page) => {
    const target = calls.open(page.send);
    page.onMessage((message) => void calls.handle(target, message, page.send));
    page.onClose(() => void target.release());
  });
  return {
    url: server.url,
    calls: calls.calls,
    stop: async () => {
      await server.close();
      await calls.close();
    },
  };
}
