import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import type { PageMessage } from './page/protocol';
import { type Call, TutorialCalls } from './tutorial-calls';

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
 * Starts the application of Kurento's hello-world and one2many tutorials on 127.0.0.1: it serves the test
 * page and speaks the tutorials' WebSocket messages, and it drives the KMS at `kmsUrl` (an emulator, or
 * anything that speaks for one) with the real npm kurento-client.
 */
export async function startTutorialApp(kmsUrl: string): Promise<TutorialApp> {
  const script = await clientScript();
  const calls = new TutorialCalls(kmsUrl);
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
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const target = calls.open(send);
    socket.on('message', (data) => {
      void calls.handle(target, JSON.parse(data.toString()) as PageMessage, send);
    });
    socket.on('close', () => void target.release());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls: calls.calls,
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await calls.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
