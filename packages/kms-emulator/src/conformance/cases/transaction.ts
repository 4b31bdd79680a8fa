import type { RpcResponse } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { expectKurentoError, resultOf, UUID } from '../helpers';
import type { ConformanceTarget } from './target';

/** Case 20: a transaction, its newref, a bad op id, and the stop at the first failure (§3). */
export function transactionCases(target: () => ConformanceTarget): void {
  describe('transactions', () => {
    it('case 20: transaction runs create + invoke newref:0; an op id that is not its index is 40008', async () => {
      const client = await target().client();

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
      const pipeline = (created?.result as { value?: string } | undefined)?.value as string;
      expect(created).toStrictEqual({
        id: 0,
        jsonrpc: '2.0',
        result: { sessionId, value: expect.stringMatching(/_kurento\.MediaPipeline$/) },
      });
      expect(named).toStrictEqual({ id: 1, jsonrpc: '2.0', result: { sessionId, value: pipeline } });
      expect(await target().kmsPipelines()).toEqual([pipeline]);
      expect(target().kms).toContain(await target().kmsOf(pipeline));

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
      expect(await target().kmsPipelines()).toHaveLength(1);
    });
  });
}
