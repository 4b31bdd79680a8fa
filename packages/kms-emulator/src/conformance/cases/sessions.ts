import { describe, expect, it } from 'vitest';
import { SERVER_MANAGER_ID as SM } from '../../objects/media-set';
import { createPipeline, expectKurentoError, resultOf, UUID } from '../helpers';
import type { ConformanceTarget } from './target';

/** Cases 3, 4, 18 and 19: how a session is made, carried, and resumed on another socket (§2). */
export function sessionCases(target: () => ConformanceTarget): void {
  describe('sessions', () => {
    it('case 3: describe manager_ServerManager without sessionId makes a new lowercase UUID session', async () => {
      const client = await target().client();
      const texts: string[] = [];
      client.socket.on('message', (data) => texts.push(data.toString()));

      const result = resultOf(await client.request('describe', { object: SM }));
      expect(result).toStrictEqual({
        hierarchy: ['kurento.MediaObject'],
        qualifiedType: 'kurento.ServerManager',
        sessionId: expect.stringMatching(UUID),
        type: 'ServerManager',
      });
      const sessions = target().sessions;
      if (sessions) expect(sessions()).toEqual([result.sessionId]);
      // jsoncpp writes members in key order: so must whatever answers as KMS.
      expect(texts).toStrictEqual([
        `{"id":0,"jsonrpc":"2.0","result":{"hierarchy":["kurento.MediaObject"],` +
          `"qualifiedType":"kurento.ServerManager","sessionId":"${result.sessionId}","type":"ServerManager"}}`,
      ]);
    });

    it('case 4: on that connection a bare ping is answered with the session, and describe keeps it', async () => {
      const client = await target().client();
      const { sessionId } = resultOf(await client.request('describe', { object: SM }));

      expect(await client.request('ping')).toStrictEqual({
        id: 1,
        jsonrpc: '2.0',
        result: { sessionId, value: 'pong' },
      });
      expect(resultOf(await client.request('describe', { object: SM })).sessionId).toBe(sessionId);
      // A session passed explicitly wins over the injected one.
      expect(resultOf(await client.request('ping', { sessionId: 'explicit' }))).toStrictEqual({
        sessionId: 'explicit',
        value: 'pong',
      });
    });

    it('case 18: connect with an unknown session is 40007; connect without params or with {} opens one', async () => {
      const unknown = await target().client();
      expectKurentoError(
        await unknown.request('connect', { sessionId: 'a2a6f3b4-0000-4000-8000-000000000000' }),
        0,
        40007,
        'Invalid session',
        'INVALID_SESSION',
      );

      const { serverId, connectAgain } = target();
      for (const params of [undefined, {}]) {
        const client = await target().client();
        const result = resultOf(await client.request('connect', params));
        expect(result).toStrictEqual({ serverId, sessionId: expect.stringMatching(UUID) });
        expect(serverId).toMatch(UUID);
        expect(result.sessionId).not.toBe(serverId);
      }
      // The refused socket holds no session: connect opens one there too.
      expect(resultOf(await unknown.request('connect'))).toStrictEqual({
        serverId,
        sessionId: expect.stringMatching(UUID),
      });
      const again = await unknown.request('connect', {});
      if (connectAgain === 'new session') {
        expect(resultOf(again)).toStrictEqual({ serverId, sessionId: expect.stringMatching(UUID) });
      } else {
        expectKurentoError(again, 2, 40007, 'Invalid session', 'INVALID_SESSION');
      }
    });

    it('case 19: after a reconnect, connect {sessionId} relinks the session and its subscriptions to the new socket', async () => {
      const first = await target().client();
      const sessionId = resultOf(await first.request('describe', { object: SM })).sessionId as string;
      resultOf(await first.request('subscribe', { type: 'ObjectCreated', object: SM }));
      await first.close();

      const second = await target().client();
      expect(resultOf(await second.request('connect', { sessionId }))).toStrictEqual({
        serverId: target().serverId,
        sessionId,
      });
      // No sessionId in the request: the relinked session is injected, and its subscription delivers here.
      const created = resultOf(await second.request('create', { type: 'MediaPipeline' }));
      expect(created.sessionId).toBe(sessionId);
      const event = await second.waitForEvent('ObjectCreated', (e) => e.data.object === created.value);
      expect(event.object).toBe(SM);
      expect(first.events()).toEqual([]);

      // The old socket's pipeline still belongs to the session: the relinked socket can use it.
      const pipeline = await createPipeline(second);
      expect(resultOf(await second.request('invoke', { object: pipeline, operation: 'getName' })).value).toBe(
        pipeline,
      );
    });
  });
}
