import { describe, expect, it } from 'vitest';
import { classifyFrame, isPipelineId, pipelineOf, Reply } from './wire';

const P = '0b8d7d4a-1111-4222-8333-444455556666_kurento.MediaPipeline';

describe('pipelineOf / isPipelineId', () => {
  it('takes the first path segment of an id', () => {
    expect(pipelineOf(P)).toBe(P);
    expect(pipelineOf(`${P}/x_kurento.WebRtcEndpoint`)).toBe(P);
    expect(pipelineOf(`${P}/x_kurento.Composite/y_kurento.HubPort`)).toBe(P);
    expect(isPipelineId(P)).toBe(true);
    expect(isPipelineId(`${P}/x_kurento.PassThrough`)).toBe(false);
    expect(isPipelineId('manager_ServerManager')).toBe(false);
  });
});

describe('Reply', () => {
  it("puts the client's id in place of the gateway's without touching the rest", () => {
    const text = '{"id":7,"jsonrpc":"2.0","result":{"sessionId":"s","value":"v"}}';
    const reply = new Reply(text, 7);
    expect(reply.ok).toBe(true);
    expect(reply.withId(41)).toBe('{"id":41,"jsonrpc":"2.0","result":{"sessionId":"s","value":"v"}}');
    expect(reply.withId('a"b')).toBe('{"id":"a\\"b","jsonrpc":"2.0","result":{"sessionId":"s","value":"v"}}');
    expect(reply.withId(null)).toBe('{"id":null,"jsonrpc":"2.0","result":{"sessionId":"s","value":"v"}}');
    expect(reply.result).toEqual({ sessionId: 's', value: 'v' });
  });

  it('reads errors, and rewrites a reply of another key order by parsing it', () => {
    const error = new Reply('{"id":3,"jsonrpc":"2.0","error":{"code":40101,"message":"x"}}', 3);
    expect(error.ok).toBe(false);
    expect(error.result).toBeUndefined();
    const other = new Reply('{"jsonrpc":"2.0","result":{"value":1},"id":3}', 3);
    expect(other.ok).toBe(true);
    expect(JSON.parse(other.withId(9))).toEqual({ jsonrpc: '2.0', result: { value: 1 }, id: 9 });
  });
});

describe('classifyFrame', () => {
  it.each([
    ['{"id":12,"jsonrpc":"2.0","result":{}}', { kind: 'reply', id: 12 }],
    ['{"jsonrpc":"2.0","method":"onEvent","params":{"value":{}}}', { kind: 'event' }],
    ['{"method":"onEvent","jsonrpc":"2.0","params":{}}', { kind: 'event' }],
    ['{"jsonrpc":"2.0","result":{},"id":4}', { kind: 'reply', id: 4 }],
    ['{"id":null,"jsonrpc":"2.0","error":{"code":-32600}}', { kind: 'other' }],
    ['not json', { kind: 'other' }],
    ['[1]', { kind: 'other' }],
  ])('%s', (text, expected) => {
    expect(classifyFrame(text)).toEqual(expected);
  });
});
