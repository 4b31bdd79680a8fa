/**
 * IP addresses and CIDR ranges, IPv4 and IPv6, without Node's `net` module: the configuration that names
 * trusted proxies is parsed by code that also runs in the Worker bundle, where no Node built-in may enter.
 */

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  /** The first address of the range (host bits cleared). */
  base: bigint;
  prefix: number;
}

const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // No leading zeros: inet_aton reads 010 as octal 8, other parsers as decimal 10.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  // A trailing dotted IPv4 (::ffff:192.0.2.1) stands for the last two groups.
  const last = all.at(-1);
  let ipv4: bigint | undefined;
  if (last?.includes('.')) {
    ipv4 = parseIpv4(last);
    // Only as the very last part: 192.0.2.1:: is no address.
    if (ipv4 === undefined || (halves.length === 2 && tail.length === 0)) return undefined;
    all.pop();
  }
  const width = all.length + (ipv4 === undefined ? 0 : 2);
  if (halves.length === 2 ? width > 7 : width !== 8) return undefined;
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  const hex = (list: string[]) => list.map((group) => BigInt(`0x${group}`));
  const zeros = Array<bigint>(8 - width).fill(0n);
  const headCount = halves.length === 1 ? all.length : head.length;
  const values = [...hex(all.slice(0, headCount)), ...zeros, ...hex(all.slice(headCount))];
  let value = 0n;
  for (const group of values) value = (value << 16n) | group;
  return ipv4 === undefined ? value : (value << 32n) | ipv4;
}

/**
 * Parses an address; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an
 * IPv4 peer) is read as the IPv4 address it carries, so that one client has one form.
 */
export function parseIp(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const value = parseIpv4(text);
    return value === undefined ? undefined : { family: 4, value };
  }
  const value = parseIpv6(text);
  if (value === undefined) return undefined;
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffff_ffffn };
  return { family: 6, value };
}

/** Parses `address` or `address/prefix`; host bits below the prefix are cleared (10.1.2.3/8 is 10.0.0.0/8). */
export function parseRange(text: string): IpRange | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined || address === undefined) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  const bits = bitsOf(ip.family);
  if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  // A mapped range (::ffff:10.0.0.0/104) was read as IPv4: its prefix counts from the IPv4 part.
  if (ip.family === 4 && address.includes(':') && prefixText !== undefined) prefix -= 96;
  if (prefix < 0 || prefix > bits) return undefined;
  return { family: ip.family, base: ip.value & mask(ip.family, prefix), prefix };
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

export function inRange(ip: IpAddress, range: IpRange): boolean {
  return ip.family === range.family && (ip.value & mask(ip.family, range.prefix)) === range.base;
}

/** The address in its canonical text form (RFC 5952 for IPv6: lowercase, the longest run of zeros as ::). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4)
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const text = groups.map((group) => group.toString(16));
  if (best.start < 0) return text.join(':');
  return `${text.slice(0, best.start).join(':')}::${text.slice(best.start + best.length).join(':')}`;
}
