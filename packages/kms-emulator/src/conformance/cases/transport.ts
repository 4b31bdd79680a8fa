import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ConformanceTarget } from './target';

/** Cases 1, 2 and 17 and the frame bound: the endpoint's path, ping, and JSON-RPC framing (§1, §4). */
export function transportCases(target: () => ConformanceTarget): void {
  describe('transport and JSON-RPC framing', () => {
    it('case 1: /kurento?x=1 stays open; /other completes the handshake then closes 1002 Invalid path', async () => {
      const good = await target().client('/kurento?x=1');
      await sleep(150);
      expect(good.socket.readyState).toBe(WebSocket.OPEN);
      expect((await good.request('ping')).result).toStrictEqual({ value: 'pong' });

      for (const path of ['/other', '/kurento/', '/']) {
        // client() resolves on 'open': the handshake completed before the close.
        const bad = await target().client(path);
        expect(await bad.closed).toStrictEqual({ code: 1002, reason: 'Invalid path' });
      }
    });

    it('a frame over 32,000,000 bytes closes the socket with 1009, as websocketpp does; one at the bound is read', async () => {
      const fits = await target().client();
      const envelope = JSON.stringify({ jsonrpc: '2.0', method: 'ping', params: { pad: '' }, id: 'big' });
      fits.socket.send(envelope.replace('"pad":""', `"pad":"${'x'.repeat(32_000_000 - envelope.length)}"`));
      expect(await fits.waitFor((m) => m.id === 'big')).toMatchObject({ result: { value: 'pong' } });
      const over = await target().client();
      over.socket.send('x'.repeat(32_000_001));
      expect((await over.closed).code).toBe(1009);
    });

    it('case 2: ping on a fresh connection answers {"value":"pong"} with and without interval, no sessionId', async () => {
      const client = await target().client();
      expect(await client.request('ping', { interval: 5000 })).toStrictEqual({
        id: 0,
        jsonrpc: '2.0',
        result: { value: 'pong' },
      });
      expect(await client.request('ping')).toStrictEqual({
        id: 1,
        jsonrpc: '2.0',
        result: { value: 'pong' },
      });
      // ping never fails, whatever its params.
      client.send({ jsonrpc: '2.0', method: 'ping', params: [1], id: 'odd' });
      expect(await client.waitFor((m) => m.id === 'odd')).toStrictEqual({
        id: 'odd',
        jsonrpc: '2.0',
        result: { value: 'pong' },
      });
      // A ping never creates a session.
      const sessions = target().sessions;
      if (sessions) expect(sessions()).toEqual([]);
    });

    it('case 17: unknown method -32601; bad envelope -32600 with id null; missing object -32000', async () => {
      const client = await target().client();

      expect(await client.request('foo', {})).toStrictEqual({
        id: 0,
        jsonrpc: '2.0',
        error: { code: -32601, message: 'Method not found.' },
      });

      const invalid = {
        id: null,
        jsonrpc: '2.0',
        error: { code: -32600, message: 'Invalid JSON-RPC request.' },
      };
      client.send({ method: 'ping', id: 41 });
      expect(await client.waitFor((m) => m.id === null)).toStrictEqual(invalid);
      client.send([{ jsonrpc: '2.0', method: 'ping', id: 42 }]);
      client.send({ jsonrpc: '1.0', method: 'ping', id: 43 });
      client.send({ jsonrpc: '2.0', id: 44 });
      // Frames on one socket are answered in order: the ping's answer comes after the three refusals.
      await client.request('ping');
      const nullIdReplies = client.messages.filter((m) => m.id === null);
      expect(nullIdReplies).toStrictEqual([invalid, invalid, invalid, invalid]);
      expect(client.messages.some((m) => m.id === 41 || m.id === 42 || m.id === 43 || m.id === 44)).toBe(
        false,
      );

      expect(await client.request('invoke', { operation: 'getName' })).toStrictEqual({
        id: 2,
        jsonrpc: '2.0',
        error: { code: -32000, message: "'object' parameter is required" },
      });
      expect(await client.request('invoke', { object: 7, operation: 'getName' })).toStrictEqual({
        id: 3,
        jsonrpc: '2.0',
        error: { code: -32000, message: "'object' parameter should be a string" },
      });
      expect(await client.request('describe')).toStrictEqual({
        id: 4,
        jsonrpc: '2.0',
        error: { code: -32602, message: "'params' is required", data: { type: 'INVALID_PARAMS' } },
      });
    });
  });
}
