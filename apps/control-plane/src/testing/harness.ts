import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetDb, NodeView } from '@kurento-fleet/db';
import { createToken } from '@kurento-fleet/db';
import { openSqliteFile, type SqliteFile } from '@kurento-fleet/db/node';
import { afterEach } from 'vitest';
import { type App, createApp } from '../app';
import { silentLogger } from '../logger';

export const adminToken = 'admin-token-for-tests-0123456789';
export const heartbeatIntervalMs = 2000;
export const heartbeatTimeoutMs = 6000;

/** A fake clock: route tests step over heartbeat timeouts instead of waiting for them. */
export class FakeClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface Harness {
  app: App;
  db: FleetDb;
  file: SqliteFile;
  clock: FakeClock;
  /** Sends a request as `token` (admin unless said otherwise); a body is sent as JSON. */
  call(method: string, path: string, options?: { token?: string | null; body?: unknown }): Promise<Response>;
  /** Like call(), and parses the JSON answer. */
  json<T = any>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  appToken(): Promise<string>;
  /** Registers a node and returns it with its agent token. */
  addNode(
    id: string,
    weight?: number,
    extra?: Record<string, unknown>,
  ): Promise<{ node: NodeView; agentToken: string }>;
  /** Adds nodes and makes them all up with one heartbeat each. */
  addUpNodes(weights: Record<string, number>): Promise<Record<string, string>>;
  heartbeat(id: string, agentToken: string, body?: unknown): Promise<Response>;
  /** A full dump of the tables, to prove that a refused request changed nothing. */
  snapshot(): unknown;
}

const openFiles: { file: SqliteFile; dir: string }[] = [];
afterEach(() => {
  for (const { file, dir } of openFiles.splice(0)) {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A control plane app on a real SQLite file in a temp folder, removed after the test. */
export function createHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-test-'));
  const file = openSqliteFile(join(dir, 'fleet.db'));
  openFiles.push({ file, dir });
  const clock = new FakeClock();
  const db: FleetDb = { client: file.client, now: clock.now, heartbeatTimeoutMs };
  const app = createApp({ db, adminToken, heartbeatIntervalMs, log: silentLogger });

  const call: Harness['call'] = (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? adminToken : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };
  const json: Harness['json'] = async (method, path, options) => {
    const response = await call(method, path, options);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const heartbeat: Harness['heartbeat'] = (id, agentToken, body = { connected: true }) =>
    call('POST', `/v1/nodes/${id}/heartbeat`, { token: agentToken, body });
  const addNode: Harness['addNode'] = async (id, weight = 1, extra = {}) => {
    const { status, body } = await json('POST', '/v1/nodes', {
      body: { id, uri: `ws://127.0.0.1:8888/kurento?node=${id}`, weight, ...extra },
    });
    if (status !== 201) throw new Error(`addNode ${id}: ${status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    app,
    db,
    file,
    clock,
    call,
    json,
    heartbeat,
    addNode,
    appToken: async () => (await createToken(db, { role: 'app', name: 'test app' })).token,
    async addUpNodes(weights) {
      const tokens: Record<string, string> = {};
      for (const [id, weight] of Object.entries(weights)) tokens[id] = (await addNode(id, weight)).agentToken;
      for (const [id, token] of Object.entries(tokens)) await heartbeat(id, token);
      return tokens;
    },
    snapshot: () =>
      Object.fromEntries(
        ['nodes', 'sessions', 'tokens'].map((table) => [
          table,
          file.raw.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
        ]),
      ),
  };
}

/** Places `count` new sessions and returns the node ids in order. */
export async function placeMany(h: Harness, count: number, prefix = 's'): Promise<string[]> {
  const nodes: string[] = [];
  for (let i = 0; i < count; i++) {
    const { status, body } = await h.json('POST', '/v1/sessions', { body: { sessionId: `${prefix}${i}` } });
    if (status !== 201) throw new Error(`placing ${prefix}${i}: ${status} ${JSON.stringify(body)}`);
    nodes.push(body.nodeId);
  }
  return nodes;
}

/** Asserts the contract's error shape: status, code, a message naming `mentions`, and a request id. */
export async function expectError(response: Response, status: number, code: string, mentions?: string) {
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  if (response.status !== status || body.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${response.status} ${JSON.stringify(body)}`);
  }
  if (typeof body.error.message !== 'string' || body.error.message.length === 0)
    throw new Error('no message');
  if (mentions && !body.error.message.includes(mentions)) {
    throw new Error(`message '${body.error.message}' does not mention '${mentions}'`);
  }
  if (!body.error.requestId) throw new Error('no requestId');
}
