import type { Node } from '@kurento-fleet/contract';
import { adminToken, type Backend, type BackendOptions, clientHeader, createBackend } from './backends';

export { adminToken, clientHeader, heartbeatTimeoutMs, runtime } from './backends';

/** A fake clock: route tests step over heartbeat timeouts instead of waiting for them. */
class FakeClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  advance(ms: number) {
    this.ms += ms;
  }
}

interface CallOptions {
  /** Bearer token; admin unless said otherwise, `null` for none. */
  token?: string | null;
  /** Sent as JSON (a string is sent as is, for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Harness {
  clock: FakeClock;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** Like call(), and parses the JSON answer. */
  json<T = any>(method: string, path: string, options?: CallOptions): Promise<{ status: number; body: T }>;
  /** Creates an app token through the API. */
  appToken(): Promise<string>;
  /** Registers a node and returns it with its agent token. */
  addNode(
    id: string,
    weight?: number,
    extra?: Record<string, unknown>,
  ): Promise<{ node: Node; agentToken: string }>;
  /** Adds nodes and makes them all up with one heartbeat each. */
  addUpNodes(weights: Record<string, number>): Promise<Record<string, string>>;
  heartbeat(id: string, agentToken: string, body?: unknown): Promise<Response>;
  /** Every row of every table. */
  snapshot(): Promise<Record<string, unknown[]>>;
  /** Runs the sweep that records nodes gone silent. */
  sweep(): Promise<void>;
  /** Runs one webhook delivery pass to its end, at the clock's time. */
  deliver(): Promise<void>;
}

/** A control plane on a fresh database, in the runtime of this vitest project (Node or workerd). */
export async function createHarness(options: BackendOptions = {}): Promise<Harness> {
  const backend: Backend = await createBackend(options);
  const clock = new FakeClock();

  // Each harness is its own client, so failed authentications of one test never rate-limit another that shares
  // a workerd instance; a test that is about clients sets the header itself.
  const client = `test-${crypto.randomUUID()}`;
  const call: Harness['call'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { [clientHeader]: client, ...options.headers };
    const token = options.token === undefined ? adminToken : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    return backend.fetch(path, { method, headers, body }, clock.ms);
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
    clock,
    call,
    json,
    heartbeat,
    addNode,
    async appToken() {
      const { status, body } = await json('POST', '/v1/tokens', { body: { role: 'app', name: 'test app' } });
      if (status !== 201) throw new Error(`appToken: ${status}`);
      return body.token;
    },
    async addUpNodes(weights) {
      const tokens: Record<string, string> = {};
      for (const [id, weight] of Object.entries(weights)) tokens[id] = (await addNode(id, weight)).agentToken;
      for (const [id, token] of Object.entries(tokens)) await heartbeat(id, token);
      return tokens;
    },
    snapshot: () => backend.dump(),
    sweep: () => backend.sweep(clock.ms),
    deliver: () => backend.deliver(clock.ms),
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
