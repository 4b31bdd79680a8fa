import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane, testAdminToken } from './support/control-plane';
import { tempDir } from './support/temp-dir';

/**
 * The Node process's connection limits (FLEET_HTTP_*), measured from a raw socket: short limits here, so that
 * the test takes seconds; the defaults (10 s, 30 s, 65 s, 4096) are the same code with other numbers.
 */
const headersTimeoutMs = 1000;
const requestTimeoutMs = 2000;
const keepAliveTimeoutMs = 3000;
const maxConnections = 6;
// Node checks the timeouts every quarter of the headers timeout; a loaded machine adds its own delay.
const slack = 2000;

const dir = tempDir();
let cp: ControlPlane;
let port: number;
beforeAll(async () => {
  cp = await startControlPlane({
    FLEET_DB_PATH: `${dir.path}/fleet.db`,
    FLEET_HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
    FLEET_HTTP_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
    FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS: String(keepAliveTimeoutMs),
    FLEET_HTTP_MAX_CONNECTIONS: String(maxConnections),
  });
  port = Number(new URL(cp.url).port);
});
afterAll(async () => {
  await cp?.kill();
  dir.remove();
});

interface Connection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves with the milliseconds from `since` until the server closed the connection. */
  closedAfter(since: number): Promise<number>;
}

async function open(): Promise<Connection> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    data += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  // A connection over the cap is accepted by the kernel and reset by Node at once: that is not a failure here.
  await once(socket, 'connect').catch(() => undefined);
  return { socket, received: () => data, closedAfter: async (since) => (await closed) - since };
}

/** Writes `line` every 200 ms until the socket closes (or 10 s pass): a client that never finishes. */
function trickle(socket: Socket, line: string) {
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(line);
  }, 200);
  socket.once('close', () => clearInterval(timer));
  setTimeout(() => clearInterval(timer), 10_000).unref();
}

const get = 'GET /healthz HTTP/1.1\r\nHost: fleet\r\n\r\n';
const answers = (text: string) => text.match(/HTTP\/1\.1 \d{3}/g) ?? [];

describe('server limits of the Node process', () => {
  it('cuts a client that never finishes its headers (slowloris) at the headers timeout, with 408', async () => {
    const conn = await open();
    const start = Date.now();
    conn.socket.write('GET /healthz HTTP/1.1\r\nHost: fleet\r\n');
    trickle(conn.socket, 'X-Slow: 1\r\n');
    const after = await conn.closedAfter(start);
    expect(after).toBeGreaterThanOrEqual(headersTimeoutMs - 50);
    expect(after).toBeLessThan(headersTimeoutMs + slack);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a client that trickles its body at the request timeout', async () => {
    const conn = await open();
    const start = Date.now();
    conn.socket.write(
      'POST /v1/sessions HTTP/1.1\r\nHost: fleet\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n' +
        `Authorization: Bearer ${testAdminToken}\r\n\r\n{`,
    );
    trickle(conn.socket, ' ');
    const after = await conn.closedAfter(start);
    expect(after).toBeGreaterThanOrEqual(requestTimeoutMs - 50);
    expect(after).toBeLessThan(requestTimeoutMs + slack);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps an idle connection past the headers timeout, and closes it at the keep-alive timeout', async () => {
    const conn = await open();
    conn.socket.write(get);
    await waitFor(() => answers(conn.received()).length === 1);
    expect(conn.received()).toMatch(/keep-alive: timeout=3/i);
    const idleSince = Date.now();
    // Idle for longer than the headers timeout: that limit is for a request under way, not between requests.
    await new Promise((resolve) => setTimeout(resolve, headersTimeoutMs + 500));
    conn.socket.write(get);
    await waitFor(() => answers(conn.received()).length === 2);
    expect(answers(conn.received())).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    const lastAnswer = Date.now();
    const after = await conn.closedAfter(lastAnswer);
    expect(after).toBeGreaterThanOrEqual(keepAliveTimeoutMs - 100);
    expect(after).toBeLessThan(keepAliveTimeoutMs + slack);
    expect(lastAnswer - idleSince).toBeGreaterThan(headersTimeoutMs);
  });

  it('holds at most FLEET_HTTP_MAX_CONNECTIONS connections; the ones it holds keep working', async () => {
    const held: Connection[] = [];
    try {
      for (let i = 0; i < maxConnections; i++) {
        const conn = await open();
        conn.socket.write(get);
        await waitFor(() => answers(conn.received()).length === 1);
        held.push(conn);
      }
      const refused = await open();
      if (!refused.socket.destroyed) refused.socket.write(get);
      expect(await refused.closedAfter(Date.now())).toBeLessThan(slack);
      expect(refused.received()).toBe('');
      // A held connection is still served, and a freed slot takes a new client.
      held[0]!.socket.write(get);
      await waitFor(() => answers(held[0]!.received()).length === 2);
      const last = held.pop()!;
      last.socket.destroy();
      await waitFor(async () => (await fetch(`${cp.url}/healthz`).catch(() => null))?.status === 200);
    } finally {
      for (const conn of held) conn.socket.destroy();
    }
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
