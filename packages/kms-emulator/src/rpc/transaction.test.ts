import type { RpcError, RpcResponse } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { createPipeline, resultOf, useEmulator } from '../conformance/helpers';
import { injectRefs } from './transaction';

const ok = (id: number, value: string): RpcResponse => ({
  id,
  jsonrpc: '2.0',
  result: { sessionId: 's', value },
});

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as RpcError).toBody();
  }
  throw new Error('did not throw');
}

describe('injectRefs (newref)', () => {
  it('replaces newref:K strings at any depth by the value of operation K', () => {
    const responses = [ok(0, 'P'), ok(1, 'E')];
    expect(
      injectRefs(
        { object: 'newref:1', operationParams: { sink: 'newref:0', list: ['newref:1', 3] } },
        responses,
      ),
    ).toStrictEqual({ object: 'E', operationParams: { sink: 'P', list: ['E', 3] } });
    // Exactly "newref:" is too short to be a reference.
    expect(injectRefs('newref:', responses)).toBe('newref:');
  });

  it('reports a bad index and a missing result with 40008, as KMS words them', () => {
    const responses: RpcResponse[] = [
      ok(0, 'P'),
      {
        id: 1,
        jsonrpc: '2.0',
        error: { code: 40108, message: 'x', data: { type: 'MEDIA_OBJECT_NOT_AVAILABLE' } },
      },
    ];
    const malformed = (message: string) => ({
      code: 40008,
      message,
      data: { type: 'MALFORMED_TRANSACTION' },
    });
    expect(failure(() => injectRefs('newref:abc', responses))).toStrictEqual(
      malformed("Invalid index of newref 'abc'"),
    );
    expect(failure(() => injectRefs('newref:1', responses))).toStrictEqual(
      malformed('Result not found on request 1'),
    );
    expect(failure(() => injectRefs('newref:7', responses))).toStrictEqual(
      malformed('Result not found on request 7'),
    );
    // std::stoi reads the leading digits only.
    expect(injectRefs('newref:0x', responses)).toBe('P');
  });
});

describe('transaction', () => {
  const kms = useEmulator();

  it('creates a pipeline and an element that uses it in one transaction, all in the session', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);
    const result = resultOf(
      await client.request('transaction', {
        sessionId: 'tx-session',
        operations: [
          { jsonrpc: '2.0', method: 'create', params: { type: 'MediaPipeline' } },
          {
            jsonrpc: '2.0',
            id: 1,
            method: 'create',
            params: { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: 'newref:0' } },
          },
          {
            jsonrpc: '2.0',
            id: 2,
            method: 'invoke',
            params: { object: 'newref:1', operation: 'getMediaPipeline' },
          },
        ],
      }),
    );
    const [pipeline, endpoint, parent] = (result.value as unknown as RpcResponse[]).map(
      (r) => (r.result as { value: string }).value,
    );
    expect(result.sessionId).toBe('tx-session');
    expect(endpoint?.startsWith(`${pipeline}/`)).toBe(true);
    expect(parent).toBe(pipeline);
    expect(emulator.snapshot().sessions).toEqual(['tx-session']);
  });

  it('waits for slow operations inside, and an empty list answers an empty value', async () => {
    const client = await kms.client(await kms.start());
    await createPipeline(client);
    const started = performance.now();
    const slow = resultOf(
      await client.request('transaction', {
        operations: [
          {
            jsonrpc: '2.0',
            id: 0,
            method: 'invoke',
            params: {
              object: 'manager_ServerManager',
              operation: 'getUsedCpu',
              operationParams: { interval: 200 },
            },
          },
        ],
      }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    const [cpu] = slow.value as unknown as RpcResponse[];
    expect(cpu?.result).toStrictEqual({ sessionId: slow.sessionId, value: expect.any(Number) });
    expect(resultOf(await client.request('transaction', { operations: [] })).value).toEqual([]);
  });
});
