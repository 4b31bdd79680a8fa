import { describe, expect, it } from 'vitest';
import { FleetUnavailableError, NoNodeAvailableError, NotFoundError, UnauthorizedError } from './errors';
import { errorBody, fakeFetch, networkError, type Scripted } from './testing/fake-fetch';
import { type RequestSpec, send, type TransportConfig } from './transport';

const assignment = {
  sessionId: 'room-1',
  nodeId: 'a',
  kmsUri: 'ws://a/kurento',
  assignedAt: 'x',
  reassigned: false,
};
const assign: RequestSpec = {
  method: 'POST',
  path: '/v1/sessions',
  body: { sessionId: 'room-1' },
  idempotent: true,
};
const createNode: RequestSpec = {
  method: 'POST',
  path: '/v1/nodes',
  body: { uri: 'ws://a' },
  idempotent: false,
};

/** A transport over a scripted fetch; the waits between attempts are recorded instead of slept. */
function setup(script: Scripted[], overrides: Partial<TransportConfig> = {}) {
  const fake = fakeFetch(script);
  const sleeps: number[] = [];
  const config: TransportConfig = {
    baseUrl: 'http://fleet.test',
    token: 'tok',
    fetch: fake.fetch,
    retry: { attempts: 4, initialDelayMs: 100, maxDelayMs: 1000 },
    timeoutMs: 1000,
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
  return { config, calls: fake.calls, sleeps };
}

const noNode: Scripted = { status: 503, body: errorBody('NO_NODE_AVAILABLE', 'No node is eligible.') };

describe('send: retries', () => {
  it('retries a 503 NO_NODE_AVAILABLE with exponential backoff, then succeeds', async () => {
    const { config, calls, sleeps } = setup([noNode, noNode, { status: 201, body: assignment }]);
    const result = await send(config, assign);
    expect(result).toEqual({ status: 201, body: assignment });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after `attempts` tries with NoNodeAvailableError, the last answer', async () => {
    const { config, calls, sleeps } = setup([noNode, noNode, noNode, noNode, noNode]);
    const error = await send(config, assign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNodeAvailableError);
    expect(error).toMatchObject({ status: 503, code: 'NO_NODE_AVAILABLE', requestId: 'req-1' });
    expect(calls).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('caps the delay at maxDelayMs and jitters between half and all of it', async () => {
    const script = Array.from({ length: 6 }, () => noNode);
    const { config, sleeps } = setup(script, {
      retry: { attempts: 6, initialDelayMs: 100, maxDelayMs: 300 },
      random: () => 0,
    });
    await expect(send(config, assign)).rejects.toBeInstanceOf(NoNodeAvailableError);
    expect(sleeps).toEqual([50, 100, 150, 150, 150]);
  });

  it('retries a refused connection even for a call that is not idempotent: nothing was sent', async () => {
    const { config, calls } = setup([{ throws: networkError('ECONNREFUSED') }, { status: 201, body: {} }]);
    await expect(send(config, createNode)).resolves.toMatchObject({ status: 201 });
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['a reset connection', { throws: networkError('ECONNRESET') }],
    ['a 502 from a proxy', { status: 502, text: '<html>bad gateway</html>' }],
    ['a 504 from a proxy', { status: 504 }],
  ] as const)('retries %s only for idempotent calls', async (_, failure: Scripted) => {
    const idempotent = setup([failure, { status: 201, body: assignment }]);
    await expect(send(idempotent.config, assign)).resolves.toMatchObject({ status: 201 });
    expect(idempotent.calls).toHaveLength(2);

    const once = setup([failure, { status: 201, body: {} }]);
    await expect(send(once.config, createNode)).rejects.toThrow();
    expect(once.calls).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 413, 415, 500])('never retries a %i', async (status) => {
    const { config, calls } = setup([
      { status, body: errorBody('X') },
      { status: 201, body: assignment },
    ]);
    await expect(send(config, assign)).rejects.toMatchObject({ status });
    expect(calls).toHaveLength(1);
  });

  it('does not retry at all with attempts: 1', async () => {
    const { config, calls } = setup([noNode, { status: 201, body: assignment }], {
      retry: { attempts: 1, initialDelayMs: 100, maxDelayMs: 100 },
    });
    await expect(send(config, assign)).rejects.toBeInstanceOf(NoNodeAvailableError);
    expect(calls).toHaveLength(1);
  });

  it('takes a 404 on the retry of a DELETE whose first answer was lost as done', async () => {
    const { config } = setup([
      { throws: networkError('ECONNRESET') },
      { status: 404, body: errorBody('NOT_FOUND') },
    ]);
    const release: RequestSpec = { method: 'DELETE', path: '/v1/sessions/room-1', idempotent: true };
    await expect(send(config, release)).resolves.toEqual({ status: 204, body: undefined });
  });

  it('still reports a 404 on the first try of a DELETE', async () => {
    const { config } = setup([{ status: 404, body: errorBody('NOT_FOUND') }]);
    const release: RequestSpec = { method: 'DELETE', path: '/v1/sessions/room-1', idempotent: true };
    await expect(send(config, release)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('send: timeouts and network failures', () => {
  it('aborts an attempt after timeoutMs, retries it, and reports FleetUnavailableError(timeout)', async () => {
    const { config, calls } = setup([{ hang: true }, { hang: true }], {
      timeoutMs: 20,
      retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    });
    const started = Date.now();
    const error = await send(config, assign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(String(error)).toContain('no answer within 20 ms');
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not retry a timed-out call that is not idempotent', async () => {
    const { config, calls } = setup([{ hang: true }, { status: 201, body: {} }], { timeoutMs: 20 });
    await expect(send(config, createNode)).rejects.toMatchObject({ reason: 'timeout' });
    expect(calls).toHaveLength(1);
  });

  it('names the control plane and the socket error when it cannot be reached', async () => {
    const refused = { throws: networkError('ECONNREFUSED') };
    const { config } = setup([refused, refused, refused, refused]);
    const error = await send(config, assign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnavailableError);
    expect(error).toMatchObject({ reason: 'network' });
    expect((error as Error).message).toBe(
      'cannot reach the control plane at http://fleet.test: fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
    );
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe('send: requests', () => {
  it('sends the bearer token, JSON and the query, skipping undefined parameters', async () => {
    const { config, calls } = setup([{ status: 200, body: { sessions: [], nextCursor: null } }]);
    await send(config, {
      method: 'GET',
      path: '/v1/sessions',
      query: { nodeId: 'a b', limit: 5, cursor: undefined },
      idempotent: true,
    });
    expect(calls[0]).toMatchObject({
      url: 'http://fleet.test/v1/sessions?nodeId=a+b&limit=5',
      method: 'GET',
      headers: { authorization: 'Bearer tok', accept: 'application/json' },
    });
    expect(calls[0]?.headers['content-type']).toBeUndefined();
  });

  it('maps an error answer to its typed error, with code, message and request id', async () => {
    const { config } = setup([{ status: 401, body: errorBody('UNAUTHORIZED', 'Missing or invalid token.') }]);
    const error = await send(config, assign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: 'Missing or invalid token.' });
  });

  it('refuses a 2xx answer that is not JSON', async () => {
    const { config } = setup([{ status: 200, text: '<html>' }]);
    await expect(send(config, assign)).rejects.toThrow('POST /v1/sessions: the answer is not JSON');
  });
});
