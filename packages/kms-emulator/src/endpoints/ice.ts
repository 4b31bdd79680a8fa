import type { Json } from '@kurento-fleet/kurento-protocol';
import { complexValue } from '../objects/values';

/** An ICE candidate as the IceCandidate complex type carries it. */
export interface IceCandidateInit {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

// kmsicecandidate.c's CANDIDATE_EXPR (RFC 5245 §15.1 with libnice's '-' in foundations): what KMS can parse.
const BYTE_STRING = '[\\x01-\\x09\\x0B\\x0C\\x0E-\\xFF]+';
const CANDIDATE = new RegExp(
  '^candidate:[A-Za-z0-9+/-]{1,32} (?<component>[0-9]{1,5}) (udp|UDP|tcp|TCP) [0-9]{1,10} ' +
    '(?<address>[A-Za-z0-9.:-]+) [0-9]+ typ (host|srflx|prflx|relay)' +
    '( raddr [A-Za-z0-9.:]+)?( rport [0-9]+)?( tcptype (active|passive|so))?' +
    `( ${BYTE_STRING} ${BYTE_STRING})*$`,
);

/**
 * kms_ice_candidate_new: true if KMS can use the candidate line. It needs the grammar above, component 1 or
 * 2, and an address it can resolve: mDNS names (`….local`) only resolve where an mDNS responder runs, and
 * the emulator has none. KMS silently drops what it cannot use; addIceCandidate still succeeds.
 */
export function isUsableCandidate(line: string): boolean {
  const match = CANDIDATE.exec(line);
  if (!match?.groups) return false;
  const { component, address } = match.groups;
  return (component === '1' || component === '2') && !address?.endsWith('.local');
}

/** The IceCandidate complex value of IceCandidateFound and of getICECandidatePairs' lines. */
export function iceCandidateValue(candidate: IceCandidateInit): Json {
  return complexValue('IceCandidate', { ...candidate });
}

/**
 * A host candidate line as libnice writes it for KMS: component 1 (rtcp-mux), UDP, or active TCP whose port
 * is the discard port 9 (RFC 6544: active candidates are never connected to).
 */
export function hostCandidateLine(
  foundation: number,
  protocol: 'UDP' | 'TCP',
  address: string,
  port: number,
): string {
  if (protocol === 'TCP')
    return `candidate:${foundation} 1 TCP 1015021823 ${address} 9 typ host tcptype active`;
  return `candidate:${foundation} 1 UDP 2015363327 ${address} ${port} typ host`;
}
