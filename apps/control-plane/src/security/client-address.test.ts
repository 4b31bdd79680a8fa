import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';
import { parseRange } from './ip';

const ranges = (...list: string[]) => list.map((text) => parseRange(text)!);
const proxies = ranges('10.0.0.0/8', 'fd00::/8');

describe('clientAddress', () => {
  it.each([
    [
      'no trusted proxies: the peer, whatever the header says',
      '203.0.113.5',
      '198.51.100.1',
      [],
      '203.0.113.5',
    ],
    ['a peer that is no trusted proxy: the peer', '203.0.113.5', '198.51.100.1', proxies, '203.0.113.5'],
    ['a trusted proxy without the header: the proxy', '10.0.0.2', undefined, proxies, '10.0.0.2'],
    ['a trusted proxy: the last hop it names', '10.0.0.2', '198.51.100.1', proxies, '198.51.100.1'],
    [
      'a forged entry left of the real one is never read',
      '10.0.0.2',
      '1.1.1.1, 198.51.100.1',
      proxies,
      '198.51.100.1',
    ],
    [
      'trusted hops are skipped from the right',
      '10.0.0.2',
      '1.1.1.1, 198.51.100.1, 10.0.0.9, fd00::3',
      proxies,
      '198.51.100.1',
    ],
    ['only trusted hops: the leftmost', '10.0.0.2', '10.0.0.7, 10.0.0.9', proxies, '10.0.0.7'],
    [
      'garbage stops the walk at the last trusted hop',
      '10.0.0.2',
      '198.51.100.1, unknown, 10.0.0.9',
      proxies,
      '10.0.0.9',
    ],
    ['garbage right away: the proxy itself', '10.0.0.2', 'evil', proxies, '10.0.0.2'],
    ['a mapped IPv4 peer is the IPv4 address', '::ffff:10.0.0.2', '198.51.100.1', proxies, '198.51.100.1'],
    ['an IPv6 peer, canonical', '2001:DB8:0::1', undefined, proxies, '2001:db8::1'],
    ['an IPv6 client through an IPv6 proxy', 'fd00::1', '2001:db8::0:7', proxies, '2001:db8::7'],
    ['spaces and an empty header', '10.0.0.2', '  198.51.100.1  ', proxies, '198.51.100.1'],
  ])('%s', (_, peer, header, trusted, expected) => {
    expect(clientAddress(peer, header, trusted)).toBe(expected);
  });

  it('has no key without a peer', () => {
    expect(clientAddress(undefined, '198.51.100.1', proxies)).toBeUndefined();
  });
});
