import { describe, expect, it } from 'vitest';
import { UsageError } from './args';
import { nodeIdsFor, parseList, planImport } from './openvidu';

describe('parseList', () => {
  it.each([
    ['["ws://a:8888/kurento","ws://b:8888/kurento"]', ['ws://a:8888/kurento', 'ws://b:8888/kurento']],
    ['[5, 1]', ['5', '1']],
    ['ws://a:8888/kurento, ws://b:8888/kurento', ['ws://a:8888/kurento', 'ws://b:8888/kurento']],
    ['', []],
  ])('reads %s', (text, expected) => {
    expect(parseList('KMS_URIS', text)).toEqual(expected);
  });

  it.each(['["ws://a"', '[{"uri":"ws://a"}]'])('refuses %s', (text) => {
    expect(() => parseList('KMS_URIS', text)).toThrow(UsageError);
  });
});

describe('nodeIdsFor', () => {
  it('derives ids from the hosts', () => {
    expect(nodeIdsFor(['ws://10.0.0.1:8888/kurento', 'wss://KMS-2.example.com/kurento'])).toEqual([
      'kms-10-0-0-1',
      'kms-kms-2-example-com',
    ]);
  });

  it('adds the port for a host listed twice, and a counter for what stays the same', () => {
    expect(
      nodeIdsFor(['ws://127.0.0.1:8888/kurento', 'ws://127.0.0.1:8889/kurento', 'ws://127.0.0.1:8889/other']),
    ).toEqual(['kms-127-0-0-1-8888', 'kms-127-0-0-1-8889', 'kms-127-0-0-1-8889-2']);
  });
});

describe('planImport', () => {
  it('pairs each URI with its weight, 1 when KMS_WEIGHT is left out', () => {
    expect(planImport({ uris: ['ws://a:8888/kurento', 'ws://b:8888/kurento'], weights: ['5', '0'] })).toEqual(
      [
        { id: 'kms-a', uri: 'ws://a:8888/kurento', weight: 5 },
        { id: 'kms-b', uri: 'ws://b:8888/kurento', weight: 0 },
      ],
    );
    expect(planImport({ uris: ['ws://a/kurento'], ids: ['first'] })).toEqual([
      { id: 'first', uri: 'ws://a/kurento', weight: 1 },
    ]);
  });

  it.each([
    [{ uris: [] }, 'KMS_URIS is empty'],
    [{ uris: ['http://a/kurento'] }, "KMS_URIS: 'http://a/kurento' is not a ws:// or wss:// URI"],
    [{ uris: ['ws://a/k', 'ws://a/k'] }, 'KMS_URIS names ws://a/k twice'],
    [{ uris: ['ws://a/k'], weights: ['1', '2'] }, 'KMS_WEIGHT has 2 entries for 1 URIs'],
    [{ uris: ['ws://a/k'], weights: ['1.5'] }, "KMS_WEIGHT: '1.5' is not an integer from 0 to 10000"],
    [{ uris: ['ws://a/k'], weights: ['10001'] }, "KMS_WEIGHT: '10001' is not an integer from 0 to 10000"],
    [{ uris: ['ws://a/k'], ids: ['x', 'y'] }, '--ids has 2 entries for 1 URIs'],
  ])('refuses %o', (input, message) => {
    expect(() => planImport(input)).toThrow(message);
  });
});
