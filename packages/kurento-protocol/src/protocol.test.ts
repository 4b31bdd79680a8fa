import { describe, expect, it } from 'vitest';
import { RpcError } from './errors';
import { stringifySorted } from './json';
import { parseEnvelope } from './jsonrpc';
import { isConvertibleTo, type JsonValueType } from './params';

describe('stringifySorted', () => {
  it('writes object members in key order at every depth, like jsoncpp', () => {
    expect(stringifySorted({ result: { value: 1, sessionId: 's' }, jsonrpc: '2.0', id: 3 })).toBe(
      '{"id":3,"jsonrpc":"2.0","result":{"sessionId":"s","value":1}}',
    );
    expect(stringifySorted([{ b: 1, a: [{ d: 1, c: 2 }] }, 'x'])).toBe('[{"a":[{"c":2,"d":1}],"b":1},"x"]');
    // '_' sorts after upper case and before lower case, as in byte order.
    expect(stringifySorted({ capabilities: [], __type__: 'T', Z: 1 })).toBe(
      '{"Z":1,"__type__":"T","capabilities":[]}',
    );
  });
});

describe('isConvertibleTo (jsoncpp Value::isConvertibleTo)', () => {
  it.each<[unknown, JsonValueType, boolean]>([
    [null, 'string', true],
    [null, 'object', true],
    [3, 'string', true],
    [true, 'string', true],
    [[], 'string', false],
    [{}, 'string', false],
    [2.5, 'int', true],
    [2 ** 40, 'int', false],
    ['1', 'int', false],
    [-1, 'uint', false],
    [false, 'uint', true],
    ['x', 'boolean', false],
    [[1], 'array', true],
    [{}, 'array', false],
    [[], 'object', false],
  ])('%j → %s is %s', (value, type, expected) => {
    expect(isConvertibleTo(value as never, type)).toBe(expected);
  });
});

describe('parseEnvelope', () => {
  it.each([
    [[]],
    ['ping'],
    [{ method: 'ping' }],
    [{ jsonrpc: '2.0' }],
    [{ jsonrpc: '2.0', method: 1 }],
    [{ jsonrpc: '2.0', method: 'ping', id: 1.5 }],
    [{ jsonrpc: '2.0', method: 'ping', id: {} }],
  ])('rejects %j with -32600', (message) => {
    expect(() => parseEnvelope(message as never)).toThrow(RpcError);
    try {
      parseEnvelope(message as never);
    } catch (error) {
      expect((error as RpcError).toBody()).toStrictEqual({
        code: -32600,
        message: 'Invalid JSON-RPC request.',
      });
    }
  });

  it('accepts integer and string ids, and no id (a notification)', () => {
    expect(parseEnvelope({ jsonrpc: '2.0', method: 'ping', id: 'a' }).id).toBe('a');
    expect(parseEnvelope({ jsonrpc: '2.0', method: 'ping', id: 0 }).id).toBe(0);
    expect(parseEnvelope({ jsonrpc: '2.0', method: 'ping' }).id).toBeUndefined();
  });
});
