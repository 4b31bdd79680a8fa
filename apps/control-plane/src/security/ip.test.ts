import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, inRange, parseIp, parseRange } from './ip';

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['fe80::', 'fe80::'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:c000:201', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ])('reads %s as %s', (text, canonical) => {
    const ip = parseIp(text);
    expect(ip && formatIp(ip)).toBe(canonical);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    ':1:2:3:4:5:6:7',
    '12345::',
    'fe80::1%eth0',
    '1.2.3.4::',
    '::1.2.3',
    'unknown',
    '[::1]',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('agrees with node:net on what an address is, and on its value', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
    const v6 = fc.array(group, { minLength: 8, maxLength: 8 }).chain((groups) =>
      fc.integer({ min: 0, max: 8 }).map((cut) => {
        // Compress a run of groups into :: at a random place, as writers of addresses do.
        const zeroed = groups.map((g, i) => (i >= cut && i < cut + 2 ? '0' : g));
        return cut < 7
          ? `${zeroed.slice(0, cut).join(':')}::${zeroed.slice(cut + 2).join(':')}`
          : zeroed.join(':');
      }),
    );
    fc.assert(
      fc.property(fc.oneof(v4, v6), (text) => {
        const ip = parseIp(text);
        expect(ip !== undefined, text).toBe(isIP(text) !== 0);
        if (!ip || (ip.family === 4 && text.includes(':'))) return;
        // The canonical form names the same address.
        const type = ip.family === 4 ? 'ipv4' : 'ipv6';
        const list = new BlockList();
        list.addAddress(text, type);
        expect(list.check(formatIp(ip), type), text).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseRange and inRange', () => {
  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.1.2.3/8', '10.9.9.9', true],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '::1', false],
    ['fd00::/8', 'fd12:3456::1', true],
    ['fd00::/8', 'fe00::1', false],
    ['::1', '::1', true],
    ['::/0', '2001:db8::1', true],
    ['127.0.0.1', '::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.0/104', '10.2.3.4', true],
  ])('%s holds %s: %s', (range, address, expected) => {
    expect(inRange(parseIp(address)!, parseRange(range)!)).toBe(expected);
  });

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/8/8',
    'localhost',
    '10.0.0.0/-1',
    '*',
  ])('refuses %j', (text) => {
    expect(parseRange(text)).toBeUndefined();
  });

  it('agrees with node:net BlockList on random ranges and addresses', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
    const v6 = fc.array(group, { minLength: 8, maxLength: 8 }).map((g) => g.join(':'));
    const case4 = fc.tuple(v4, fc.integer({ min: 0, max: 32 }), v4, fc.constant('ipv4' as const));
    const case6 = fc.tuple(v6, fc.integer({ min: 0, max: 128 }), v6, fc.constant('ipv6' as const));
    fc.assert(
      fc.property(fc.oneof(case4, case6), ([network, prefix, address, type]) => {
        const list = new BlockList();
        list.addSubnet(network, prefix, type);
        // Addresses near the network too, where the prefix decides.
        const near = formatIp({ ...parseIp(network)!, value: parseIp(network)!.value ^ 1n });
        for (const candidate of [address, network, near]) {
          expect(
            inRange(parseIp(candidate)!, parseRange(`${network}/${prefix}`)!),
            `${network}/${prefix} ∋ ${candidate}`,
          ).toBe(list.check(candidate, type));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
