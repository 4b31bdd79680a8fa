import { formatIp, type IpAddress, type IpRange, inRange, parseIp } from './ip';

/**
 * Who the client of a request is, for the auth-failure limit: the socket's peer, unless that peer is one of the
 * operator's trusted proxies (FLEET_TRUSTED_PROXIES), in which case `X-Forwarded-For` names the client.
 *
 * Each proxy appends the address it received the request from, so the list is read from the right: every entry
 * that is itself a trusted proxy is skipped, and the first one that is not is the client. Entries to its left
 * were written by the client (or by proxies nobody vouches for) and are never believed; that is what makes a
 * forged header useless. Without trusted proxies, or from a peer that is not one, the header is ignored, so a
 * client cannot pick its own key by sending it. An entry that is no address ends the walk at the last trusted
 * hop before it. Every key is in canonical form (IPv4-mapped IPv6 as IPv4), so one client has one key.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: readonly IpRange[],
): string | undefined {
  if (peer === undefined) return undefined;
  const peerIp = parseIp(peer);
  if (!peerIp) return peer;
  const trusted = (ip: IpAddress) => trustedProxies.some((range) => inRange(ip, range));
  let client = peerIp;
  if (trusted(peerIp) && forwardedFor !== undefined) {
    const hops = forwardedFor.split(',').map((hop) => hop.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseIp(hops[i] ?? '');
      if (!hop) break;
      client = hop;
      if (!trusted(hop)) break;
    }
  }
  return formatIp(client);
}
