import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SERVER_MANAGER_ID as SM } from '../../objects/media-set';
import { createPipeline, expectKurentoError, openSession, resultOf, UUID } from '../helpers';
import type { ConformanceTarget } from './target';

const PIPELINE_ID = /^[0-9a-f-]{36}_kurento\.MediaPipeline$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Cases 7–15: media objects, their events, and the errors about them (§3, §5, §7). getPipelines lists every
 * pipeline of the server (a gateway: of the whole fleet), so a target must hold no other pipeline when a case
 * starts.
 */
export function objectCases(target: () => ConformanceTarget): void {
  describe('media objects', () => {
    it('case 7: create MediaPipeline returns a <uuid>_kurento.MediaPipeline id in the session', async () => {
      const client = await target().client();
      const sessionId = await openSession(client);
      const result = resultOf(
        await client.request('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} }),
      );
      expect(result).toStrictEqual({ sessionId, value: expect.stringMatching(PIPELINE_ID) });
    });

    it('case 8: a subscription to ObjectCreated delivers an onEvent for each create', async () => {
      const client = await target().client();
      const sessionId = await openSession(client);
      const subscribed = resultOf(await client.request('subscribe', { type: 'ObjectCreated', object: SM }));
      expect(subscribed).toStrictEqual({ sessionId, value: expect.stringMatching(UUID) });

      const pipeline = await createPipeline(client);
      const message = await client.waitFor((m) => m.method === 'onEvent');
      expect(message).toStrictEqual({
        jsonrpc: '2.0',
        method: 'onEvent',
        params: {
          value: {
            data: { object: pipeline, source: SM, tags: [], timestampMillis: expect.stringMatching(/^\d+$/) },
            object: SM,
            type: 'ObjectCreated',
          },
        },
      });
      const { data } = (message.params as { value: { data: { timestampMillis: string } } }).value;
      expect(Math.abs(Number(data.timestampMillis) - Date.now())).toBeLessThan(5000);

      // A second subscription gets its own id but no duplicate events (one handler per session and event).
      const again = resultOf(await client.request('subscribe', { type: 'ObjectCreated', object: SM }));
      expect(again.value).not.toBe(subscribed.value);
      const second = await createPipeline(client);
      await client.waitForEvent('ObjectCreated', (e) => e.data.object === second);
      // A duplicate would follow at once; a gateway relays events on another path than its answers, so no
      // answer can mark "all events sent": give a duplicate a moment to show.
      await client.request('ping');
      await sleep(100);
      expect(client.events('ObjectCreated').filter((e) => e.data.object === second)).toHaveLength(1);
    });

    it('case 9: getPipelines lists the pipeline, and describe of its id gives the MediaPipeline types', async () => {
      const client = await target().client();
      const sessionId = await openSession(client);
      const pipeline = await createPipeline(client);

      const listed = resultOf(await client.request('invoke', { object: SM, operation: 'getPipelines' }));
      expect(listed).toStrictEqual({ sessionId, value: [pipeline] });
      expect(resultOf(await client.request('describe', { object: pipeline }))).toStrictEqual({
        hierarchy: ['kurento.MediaObject'],
        qualifiedType: 'kurento.MediaPipeline',
        sessionId,
        type: 'MediaPipeline',
      });
    });

    it('case 10: release answers {sessionId}, raises ObjectDestroyed, and the object is gone', async () => {
      const client = await target().client();
      const sessionId = await openSession(client);
      await client.request('subscribe', { type: 'ObjectDestroyed', object: SM });
      const pipeline = await createPipeline(client);

      const released = await client.request('release', { object: pipeline });
      expect(released).toStrictEqual({ id: released.id, jsonrpc: '2.0', result: { sessionId } });
      const destroyed = await client.waitForEvent('ObjectDestroyed');
      expect(destroyed).toStrictEqual({
        data: { objectId: pipeline, source: SM, tags: [], timestampMillis: expect.stringMatching(/^\d+$/) },
        object: SM,
        type: 'ObjectDestroyed',
      });

      const getName = await client.request('invoke', { object: pipeline, operation: 'getName' });
      expectKurentoError(
        getName,
        getName.id as number,
        40101,
        `Object '${pipeline}' not found`,
        'MEDIA_OBJECT_NOT_FOUND',
      );
      expect(
        resultOf(await client.request('invoke', { object: SM, operation: 'getPipelines' })).value,
      ).toEqual([]);
    });

    it('case 11: a PassThrough is a child of its pipeline, and releasing the pipeline destroys both', async () => {
      const client = await target().client();
      await openSession(client);
      await client.request('subscribe', { type: 'ObjectDestroyed', object: SM });
      const pipeline = await createPipeline(client);

      const element = resultOf(
        await client.request('create', {
          type: 'PassThrough',
          constructorParams: { mediaPipeline: pipeline },
        }),
      ).value as string;
      expect(element).toMatch(new RegExp(`^${escapeRegExp(pipeline)}/[0-9a-f-]{36}_kurento\\.PassThrough$`));
      expect(
        resultOf(await client.request('invoke', { object: element, operation: 'getParent' })).value,
      ).toBe(pipeline);
      expect(
        resultOf(await client.request('invoke', { object: pipeline, operation: 'getChildren' })).value,
      ).toEqual([element]);

      await client.request('release', { object: pipeline });
      await client.waitForEvent('ObjectDestroyed', (e) => e.data.objectId === pipeline);
      expect(client.events('ObjectDestroyed').map((e) => e.data.objectId)).toEqual([element, pipeline]);
    });

    it('case 12: release of an unknown id succeeds with {sessionId}', async () => {
      const client = await target().client();
      const sessionId = await openSession(client);
      const response = await client.request('release', { object: 'nope_kurento.MediaPipeline' });
      expect(response).toStrictEqual({ id: 1, jsonrpc: '2.0', result: { sessionId } });
    });

    it('case 13: describe of an unknown id is 40101 with the id echoed and no sessionId', async () => {
      const client = await target().client();
      await openSession(client);
      const unknown = '00000000-0000-4000-8000-000000000000_kurento.MediaPipeline';
      expectKurentoError(
        await client.request('describe', { object: unknown }),
        1,
        40101,
        `Object '${unknown}' not found`,
        'MEDIA_OBJECT_NOT_FOUND',
      );
    });

    it('case 14: invoke of an unknown operation is 40008 Method ... with <n> parameters not found', async () => {
      const client = await target().client();
      const pipeline = await createPipeline(client);
      expectKurentoError(
        await client.request('invoke', { object: pipeline, operation: 'foo' }),
        1,
        40008,
        "Method 'foo' with 0 parameters not found",
        'MALFORMED_TRANSACTION',
      );
      expectKurentoError(
        await client.request('invoke', {
          object: pipeline,
          operation: 'foo',
          operationParams: { a: 1, b: 2 },
        }),
        2,
        40008,
        "Method 'foo' with 2 parameters not found",
        'MALFORMED_TRANSACTION',
      );
    });

    it("case 15: create of an unknown type is 40108 Factory 'Nope' not found", async () => {
      const client = await target().client();
      expectKurentoError(
        await client.request('create', { type: 'Nope', constructorParams: {} }),
        0,
        40108,
        "Factory 'Nope' not found",
        'MEDIA_OBJECT_NOT_AVAILABLE',
      );
      // Abstract classes have no factory either.
      expectKurentoError(
        await client.request('create', { type: 'MediaElement' }),
        1,
        40108,
        "Factory 'MediaElement' not found",
        'MEDIA_OBJECT_NOT_AVAILABLE',
      );
    });
  });
}
