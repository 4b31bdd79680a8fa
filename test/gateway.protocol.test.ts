import { setTimeout as sleep } from 'node:timers/promises';
import { serverIdOf } from '@kurento-fleet/gateway';
import {
  connectRawClient,
  type JsonObject,
  type RawKmsClient,
  type RpcResponse,
} from '@kurento-fleet/kms-emulator';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useGatewayFleet } from './support/gateway-fleet';

/**
 * The emulator's conformance cases (the Kurento protocol reference's 24), through the gateway process where
 * they apply, and the gateway's answers to bad input. The npm-client cases (21–23) are in
 * gateway.e2e.test.ts and gateway.faults.test.ts; case 24 (pongs withheld) cannot happen: the gateway answers
 * pings itself (gateway.sessions.test.ts shows it with a stalled KMS).
 */
const SM = 'manager_ServerManager';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PIPELINE = /^[0-9a-f-]{36}_kurento\.MediaPipeline$/;
const serverId = serverIdOf('gw-test');

function resultOf(response: RpcResponse): JsonObject {
  expect(Object.keys(response).sort()).toEqual(['id', 'jsonrpc', 'result']);
  expect(typeof response.result).toBe('object');
  return response.result as JsonObject;
}

function expectKurentoError(response: RpcResponse, code: number, message: string, type: string) {
  expect(response).toStrictEqual({
    id: response.id,
    jsonrpc: '2.0',
    error: { code, message, data: { type } },
  });
}

describe('the gateway speaks the KMS protocol (processes: control plane, 2 KMS, agents, gateway)', () => {
  const env = useGatewayFleet({ a: 1, b: 1 });
  const open: RawKmsClient[] = [];
  beforeAll(() => env.start(), 120_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  const client = async (path = '/kurento') => {
    const c = await connectRawClient(`ws://127.0.0.1:${env.fleet.gateway.port}${path}`);
    open.push(c);
    return c;
  };
  const session = async (c: RawKmsClient) =>
    resultOf(await c.request('describe', { object: SM })).sessionId as string;
  const pipeline = async (c: RawKmsClient) =>
    resultOf(await c.request('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} }))
      .value as string;

  it('case 1: /kurento?x=1 stays open; another path is closed with 1002 Invalid path', async () => {
    const good = await client('/kurento?x=1');
    await sleep(150);
    expect(good.socket.readyState).toBe(1);
    for (const path of ['/other', '/kurento/', '/']) {
      const bad = await connectRawClient(`ws://127.0.0.1:${env.fleet.gateway.port}${path}`);
      expect(await bad.closed).toStrictEqual({ code: 1002, reason: 'Invalid path' });
    }
  });

  it('cases 2–4: ping without a session; describe makes one; a bare ping then carries it', async () => {
    const c = await client();
    expect(await c.request('ping', { interval: 5000 })).toStrictEqual({
      id: 0,
      jsonrpc: '2.0',
      result: { value: 'pong' },
    });
    c.send({ jsonrpc: '2.0', method: 'ping', params: [1], id: 'odd' });
    expect(await c.waitFor((m) => m.id === 'odd')).toStrictEqual({
      id: 'odd',
      jsonrpc: '2.0',
      result: { value: 'pong' },
    });
    const described = await c.request('describe', { object: SM });
    expect(resultOf(described)).toStrictEqual({
      hierarchy: ['kurento.MediaObject'],
      qualifiedType: 'kurento.ServerManager',
      sessionId: expect.stringMatching(UUID),
      type: 'ServerManager',
    });
    const sessionId = (described.result as JsonObject).sessionId;
    expect(await c.request('ping')).toStrictEqual({
      id: 2,
      jsonrpc: '2.0',
      result: { sessionId, value: 'pong' },
    });
    expect(resultOf(await c.request('ping', { sessionId: 'explicit' }))).toStrictEqual({
      sessionId: 'explicit',
      value: 'pong',
    });
  });

  it('cases 5, 6, 16: getInfo, the figures, getUsedCpu after its interval, getKmd', async () => {
    const c = await client();
    const sessionId = await session(c);
    const invoke = (operation: string, operationParams?: JsonObject) =>
      c.request('invoke', { object: SM, operation, ...(operationParams ? { operationParams } : {}) });
    const info = resultOf(await invoke('getInfo'));
    expect(info.sessionId).toBe(sessionId);
    expect(info.value).toMatchObject({
      type: 'KMS',
      version: '7.3.0',
      capabilities: expect.arrayContaining(['transactions']),
    });
    const modules = ((info.value as JsonObject).modules as JsonObject[]).map((m) => m.name);
    expect(modules).toEqual(expect.arrayContaining(['core', 'elements', 'filters']));
    expect(resultOf(await invoke('getCpuCount')).value).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(resultOf(await invoke('getUsedMemory')).value)).toBe(true);
    expect(typeof resultOf(await invoke('getMetadata')).value).toBe('string');
    const started = performance.now();
    expect(typeof resultOf(await invoke('getUsedCpu', { interval: 1000 })).value).toBe('number');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expectKurentoError(await invoke('getUsedCpu'), 40001, "'operationParams' is required", 'MARSHALL_ERROR');
    expectKurentoError(
      await invoke('getKmd', { moduleName: 'nope' }),
      40500,
      "Requested kmd module doesn't exist",
      'UNDEFINED',
    );
    expect(
      JSON.parse(resultOf(await invoke('getKmd', { moduleName: 'core' })).value as string),
    ).toMatchObject({ name: 'core' });
  });

  it('cases 7–10: create, ObjectCreated, getPipelines and describe, release with ObjectDestroyed, then 40101', async () => {
    const c = await client();
    const sessionId = await session(c);
    const subscribed = resultOf(await c.request('subscribe', { type: 'ObjectCreated', object: SM }));
    expect(subscribed).toStrictEqual({ sessionId, value: expect.stringMatching(UUID) });
    await c.request('subscribe', { type: 'ObjectDestroyed', object: SM });
    const created = resultOf(
      await c.request('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} }),
    );
    expect(created).toStrictEqual({ sessionId, value: expect.stringMatching(PIPELINE) });
    const p = created.value as string;
    const event = await c.waitFor((m) => m.method === 'onEvent' && JSON.stringify(m).includes(p));
    expect(event).toStrictEqual({
      jsonrpc: '2.0',
      method: 'onEvent',
      params: {
        value: {
          data: { object: p, source: SM, tags: [], timestampMillis: expect.stringMatching(/^\d+$/) },
          object: SM,
          type: 'ObjectCreated',
        },
      },
    });
    // A second subscription: a new id, no duplicate events.
    await c.request('subscribe', { type: 'ObjectCreated', object: SM });
    const q = await pipeline(c);
    await c.request('ping');
    await sleep(100);
    expect(c.events('ObjectCreated').filter((e) => e.data.object === q)).toHaveLength(1);

    expect(resultOf(await c.request('invoke', { object: SM, operation: 'getPipelines' })).value).toEqual(
      expect.arrayContaining([p, q]),
    );
    expect(resultOf(await c.request('describe', { object: p }))).toStrictEqual({
      hierarchy: ['kurento.MediaObject'],
      qualifiedType: 'kurento.MediaPipeline',
      sessionId,
      type: 'MediaPipeline',
    });
    expect(await c.request('release', { object: p })).toMatchObject({ result: { sessionId } });
    const destroyed = await c.waitForEvent('ObjectDestroyed', (e) => e.data.objectId === p);
    expect(destroyed).toStrictEqual({
      data: { objectId: p, source: SM, tags: [], timestampMillis: expect.stringMatching(/^\d+$/) },
      object: SM,
      type: 'ObjectDestroyed',
    });
    expectKurentoError(
      await c.request('invoke', { object: p, operation: 'getName' }),
      40101,
      `Object '${p}' not found`,
      'MEDIA_OBJECT_NOT_FOUND',
    );
    expect(
      resultOf(await c.request('invoke', { object: SM, operation: 'getPipelines' })).value,
    ).not.toContain(p);
    await c.request('release', { object: q });
  });

  it('cases 11–15: children, unknown ids, unknown operations and types', async () => {
    const c = await client();
    const sessionId = await session(c);
    await c.request('subscribe', { type: 'ObjectDestroyed', object: SM });
    const p = await pipeline(c);
    const element = resultOf(
      await c.request('create', { type: 'PassThrough', constructorParams: { mediaPipeline: p } }),
    ).value as string;
    expect(element.startsWith(`${p}/`)).toBe(true);
    expect(resultOf(await c.request('invoke', { object: p, operation: 'getChildren' })).value).toEqual([
      element,
    ]);
    await c.request('release', { object: p });
    await c.waitForEvent('ObjectDestroyed', (e) => e.data.objectId === p);
    expect(c.events('ObjectDestroyed').map((e) => e.data.objectId)).toEqual([element, p]);

    expect(resultOf(await c.request('release', { object: 'nope_kurento.MediaPipeline' }))).toStrictEqual({
      sessionId,
    });
    const unknown = '00000000-0000-4000-8000-000000000000_kurento.MediaPipeline';
    expectKurentoError(
      await c.request('describe', { object: unknown }),
      40101,
      `Object '${unknown}' not found`,
      'MEDIA_OBJECT_NOT_FOUND',
    );
    const q = await pipeline(c);
    expectKurentoError(
      await c.request('invoke', { object: q, operation: 'foo', operationParams: { a: 1, b: 2 } }),
      40008,
      "Method 'foo' with 2 parameters not found",
      'MALFORMED_TRANSACTION',
    );
    expectKurentoError(
      await c.request('create', { type: 'Nope', constructorParams: {} }),
      40108,
      "Factory 'Nope' not found",
      'MEDIA_OBJECT_NOT_AVAILABLE',
    );
    expectKurentoError(
      await c.request('create', { type: 'MediaElement' }),
      40108,
      "Factory 'MediaElement' not found",
      'MEDIA_OBJECT_NOT_AVAILABLE',
    );
    await c.request('release', { object: q });
  });

  it('case 17: -32601, -32600 with id null, -32000, -32602', async () => {
    const c = await client();
    expect(await c.request('foo', {})).toStrictEqual({
      id: 0,
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found.' },
    });
    const invalid = {
      id: null,
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid JSON-RPC request.' },
    };
    for (const frame of [
      { method: 'ping', id: 41 },
      [{ jsonrpc: '2.0', method: 'ping', id: 42 }],
      { jsonrpc: '1.0', method: 'ping', id: 43 },
      { jsonrpc: '2.0', id: 44 },
    ]) {
      c.send(frame);
    }
    await c.request('ping');
    expect(c.messages.filter((m) => m.id === null)).toStrictEqual([invalid, invalid, invalid, invalid]);
    expect(await c.request('invoke', { operation: 'getName' })).toStrictEqual({
      id: 2,
      jsonrpc: '2.0',
      error: { code: -32000, message: "'object' parameter is required" },
    });
    expect((await c.request('invoke', { object: 7, operation: 'getName' })).error).toStrictEqual({
      code: -32000,
      message: "'object' parameter should be a string",
    });
    expect((await c.request('describe')).error).toStrictEqual({
      code: -32602,
      message: "'params' is required",
      data: { type: 'INVALID_PARAMS' },
    });
  });

  it('cases 18, 19: connect; a session resumed on a second socket gets its subscriptions there', async () => {
    const fresh = await client();
    expectKurentoError(
      await fresh.request('connect', { sessionId: 'a2a6f3b4-0000-4000-8000-000000000000' }),
      40007,
      'Invalid session',
      'INVALID_SESSION',
    );
    for (const params of [undefined, {}]) {
      expect(resultOf(await fresh.request('connect', params))).toStrictEqual({
        serverId,
        sessionId: expect.stringMatching(UUID),
      });
    }
    const first = await client();
    const sessionId = await session(first);
    await first.request('subscribe', { type: 'ObjectCreated', object: SM });
    await first.close();
    const second = await client();
    expect(resultOf(await second.request('connect', { sessionId }))).toStrictEqual({ serverId, sessionId });
    const created = resultOf(await second.request('create', { type: 'MediaPipeline' }));
    expect(created.sessionId).toBe(sessionId);
    await second.waitForEvent('ObjectCreated', (e) => e.data.object === created.value);
    expect(first.events()).toEqual([]);
    await second.request('release', { object: created.value as string });
  });

  it('case 20: transactions with newref, a bad op id, and the stop at the first failure', async () => {
    const c = await client();
    const result = resultOf(
      await c.request('transaction', {
        operations: [
          {
            jsonrpc: '2.0',
            id: 0,
            method: 'create',
            params: { type: 'MediaPipeline', constructorParams: {} },
          },
          { jsonrpc: '2.0', id: 1, method: 'invoke', params: { object: 'newref:0', operation: 'getName' } },
        ],
      }),
    );
    const [created, named] = result.value as unknown as RpcResponse[];
    const p = (created?.result as { value: string } | undefined)?.value as string;
    expect(named).toStrictEqual({ id: 1, jsonrpc: '2.0', result: { sessionId: result.sessionId, value: p } });
    expect(await env.fleet.nodeOfSession(p)).toMatch(/^[ab]$/);
    expectKurentoError(
      await c.request('transaction', { operations: [{ jsonrpc: '2.0', id: 5, method: 'ping', params: {} }] }),
      40008,
      "Id of request '0' should be '0'",
      'MALFORMED_TRANSACTION',
    );
    const stopped = resultOf(
      await c.request('transaction', {
        operations: [
          { jsonrpc: '2.0', id: 0, method: 'create', params: { type: 'Nope' } },
          { jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'MediaPipeline' } },
        ],
      }),
    );
    expect(stopped.value).toStrictEqual([
      {
        id: 0,
        jsonrpc: '2.0',
        error: {
          code: 40108,
          message: "Factory 'Nope' not found",
          data: { type: 'MEDIA_OBJECT_NOT_AVAILABLE' },
        },
      },
    ]);
    await c.request('release', { object: p });
  });

  it('bad input: every malformed frame, unknown method or object, and unsplittable request gets its Kurento error; the socket stays open', async () => {
    const c = await client();
    const sessionId = await session(c);
    const [p, q] = [await pipeline(c), await pipeline(c)];
    const onP = resultOf(
      await c.request('create', { type: 'PassThrough', constructorParams: { mediaPipeline: p } }),
    ).value as string;
    const onQ = resultOf(
      await c.request('create', { type: 'PassThrough', constructorParams: { mediaPipeline: q } }),
    ).value as string;

    c.send('{not json');
    c.send('');
    c.socket.send(Buffer.from([0xff, 0x00, 0x13]));
    await c.request('ping');
    expect(c.messages.filter((m) => m.id === null)).toStrictEqual([
      { id: null, jsonrpc: '2.0', error: { code: -32700, message: 'Parse error.' } },
      { id: null, jsonrpc: '2.0', error: { code: -32700, message: 'Parse error.' } },
      { id: null, jsonrpc: '2.0', error: { code: -32700, message: 'Parse error.' } },
    ]);
    expect((await c.request('subscribeAll', { object: p })).error?.code).toBe(-32601);
    expect((await c.request('invoke', [1, 2] as unknown as JsonObject)).error?.code).toBe(-32603);

    const unknownPipeline = '99999999-9999-4999-8999-999999999999_kurento.MediaPipeline';
    for (const [method, params, code] of [
      ['invoke', { object: `${unknownPipeline}/x_kurento.PassThrough`, operation: 'getName' }, 40101],
      ['subscribe', { object: unknownPipeline, type: 'Error' }, 40101],
      ['create', { type: 'PassThrough', constructorParams: { mediaPipeline: unknownPipeline } }, 40101],
      ['describe', { object: 'not-an-id' }, 40101],
    ] as const) {
      expect(
        (await c.request(method, params as JsonObject)).error,
        `${method} ${JSON.stringify(params)}`,
      ).toMatchObject({
        code,
        data: { type: 'MEDIA_OBJECT_NOT_FOUND' },
      });
    }
    expectKurentoError(
      await c.request('invoke', { object: onP, operation: 'connect', operationParams: { sink: onQ } }),
      40004,
      'Media elements do not share pipeline',
      'CONNECT_ERROR',
    );
    const spanning = await c.request('transaction', {
      operations: [
        { jsonrpc: '2.0', id: 0, method: 'invoke', params: { object: onP, operation: 'getName' } },
        { jsonrpc: '2.0', id: 1, method: 'invoke', params: { object: onQ, operation: 'getName' } },
      ],
    });
    expect(spanning.error).toMatchObject({ code: 40008, data: { type: 'MALFORMED_TRANSACTION' } });
    expect(spanning.error?.message).toContain(`'${p}' and '${q}'`);

    expect(c.socket.readyState).toBe(1);
    expect(resultOf(await c.request('invoke', { object: onP, operation: 'getName' }))).toStrictEqual({
      sessionId,
      value: onP,
    });
    expect(env.fleet.gateway.process.alive).toBe(true);
    for (const id of [p, q]) await c.request('release', { object: id });
  });
});
