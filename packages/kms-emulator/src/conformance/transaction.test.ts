import type { RpcResponse } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { expectKurentoError, resultOf, UUID, useEmulator } from './helpers';

describe('conformance: transactions (§3)', () => {
  const kms = useEmulator();

  it('case 20: transaction runs create + invoke newref:0; an op id that is not its index is 40008', async () => {
    const emulator = await kms.start();
    const client = await kms.client(emulator);

    const result = resultOf(
      await client.request('transaction', {
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
    const sessionId = result.sessionId as string;
    expect(sessionId).toMatch(UUID);
    const [created, named] = result.value as unknown as RpcResponse[];
    expect(result.value).toHaveLength(2);
    const pipeline = (created?.result as { value?: string } | undefined)?.value;
    expect(created).toStrictEqual({
      id: 0,
      jsonrpc: '2.0',
      result: { sessionId, value: expect.stringMatching(/_kurento\.MediaPipeline$/) },
    });
    expect(named).toStrictEqual({ id: 1, jsonrpc: '2.0', result: { sessionId, value: pipeline } });
    expect(emulator.snapshot().pipelines.map((p) => p.id)).toEqual([pipeline]);

    expectKurentoError(
      await client.request('transaction', {
        operations: [{ jsonrpc: '2.0', id: 5, method: 'ping', params: {} }],
      }),
      1,
      40008,
      "Id of request '0' should be '0'",
      'MALFORMED_TRANSACTION',
    );

    // Operations stop at the first failure: the ones after it have no entry.
    const stopped = resultOf(
      await client.request('transaction', {
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
    expect(emulator.snapshot().pipelines).toHaveLength(1);
  });
});
