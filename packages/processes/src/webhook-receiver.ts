import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One POST a receiver got. */
export interface ReceivedDelivery {
  /** When its body had arrived: epoch ms, with the sub-millisecond part (performance's clock). */
  at: number;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  /** What it answered; null: it never answered. */
  status: number | null;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  /** Every request so far, in arrival order. */
  received: ReceivedDelivery[];
  /**
   * The status to answer a request with (200 by default), or null to never answer (the connection stays open
   * until the client gives up); a test changes it to make the receiver fail.
   */
  answer: (delivery: Omit<ReceivedDelivery, 'status'>) => number | null | Promise<number | null>;
  /** Resolves once `check` holds on what was received; rejects after `timeoutMs`. */
  waitFor(check: (received: ReceivedDelivery[]) => boolean, timeoutMs: number, what: string): Promise<void>;
  /** Stops listening (connections included): the receiver is down until one starts on the same port. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that takes webhook deliveries, for tests and the bench: it records every
 * request and answers what `answer` says.
 */
export async function startWebhookReceiver(options: { port?: number } = {}): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  const receiver: WebhookReceiver = {
    url: '',
    port: 0,
    received,
    answer: () => 200,
    waitFor(check, timeoutMs, what) {
      if (check(received)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onDelivery = () => {
          if (!check(received)) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${what}: not within ${timeoutMs} ms (${received.length} requests received)`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(onDelivery);
        };
        waiters.add(onDelivery);
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const delivery = {
        at: performance.timeOrigin + performance.now(),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const status = await receiver.answer(delivery);
      received.push({ ...delivery, status });
      if (status !== null)
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
      for (const waiter of waiters) waiter();
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  receiver.port = (server.address() as { port: number }).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  return receiver;
}
