import { serverIdOf } from '@kurento-fleet/gateway';
import {
  connectRawClient,
  type JsonObject,
  type RawKmsClient,
  SERVER_MANAGER_ID as SM,
} from '@kurento-fleet/kms-emulator';
import {
  type ConformanceTarget,
  conformanceCases,
  createPipeline,
  expectKurentoError,
  openSession,
  resultOf,
} from '@kurento-fleet/kms-emulator/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useGatewayFleet } from './support/gateway-fleet';

/**
 * The Kurento protocol's conformance cases (packages/kms-emulator/src/conformance/cases, the same definitions the
 * emulator runs) through the gateway process, then the gateway's own answers to bad input. The npm-client cases
 * (21–23) are in gateway.e2e.test.ts and gateway.faults.test.ts; case 24 (pongs withheld) cannot happen: the
 * gateway answers pings itself (gateway.sessions.test.ts shows it with a stalled KMS).
 */
describe('the gateway speaks the KMS protocol (processes: control plane, 2 KMS, agents, gateway)', () => {
  const env = useGatewayFleet({ a: 1, b: 1 });
  const open: RawKmsClient[] = [];
  beforeAll(() => env.start(), 120_000);
  const client = async (path = '/kurento') => {
    const c = await connectRawClient(`ws://127.0.0.1:${env.fleet.gateway.port}${path}`);
    open.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await releaseEveryPipeline(await client());
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  /** Reads getPipelines straight from one KMS of the fleet, past the gateway. */
  const pipelinesOn = async (node: string): Promise<string[]> => {
    const kms = await connectRawClient(`ws://127.0.0.1:${env.fleet.ports[node]}/kurento`);
    try {
      return resultOf(await kms.request('invoke', { object: SM, operation: 'getPipelines' }))
        .value as string[];
    } finally {
      await kms.close();
    }
  };
  const target: ConformanceTarget = {
    client,
    // The gateway answers connect with its own serverId, whichever KMS holds the session.
    serverId: serverIdOf('gw-test'),
    connectAgain: 'new session',
    // The fleet's emulators run with no metadata; getMetadata is answered by one of them.
    metadata: '',
    kms: ['a', 'b'],
    kmsPipelines: async () => (await Promise.all(target.kms.map(pipelinesOn))).flat(),
    kmsOf: (pipeline) => env.fleet.nodeOfSession(pipeline),
  };

  describe('the shared conformance cases', () => {
    conformanceCases(() => target);
  });

  describe('gateway only', () => {
    it('bad input: every malformed frame, unknown method or object, and unsplittable request gets its Kurento error; the socket stays open', async () => {
      const c = await client();
      const sessionId = await openSession(c);
      const [p, q] = [await createPipeline(c), await createPipeline(c)];
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
        12,
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
});

/**
 * getPipelines through the gateway is the union over the fleet, and the shared cases expect it to list only their
 * own pipelines: after each case, release every pipeline, and wait until their ObjectDestroyed events have been
 * relayed, so that no later subscription sees them.
 */
async function releaseEveryPipeline(c: RawKmsClient): Promise<void> {
  await c.request('subscribe', { type: 'ObjectDestroyed', object: SM });
  const pipelines = resultOf(await c.request('invoke', { object: SM, operation: 'getPipelines' }))
    .value as string[];
  for (const id of pipelines) {
    await c.request('release', { object: id });
    await c.waitForEvent('ObjectDestroyed', (e) => e.data.objectId === id);
  }
}
