import { kurentoError } from '@kurento-fleet/kurento-protocol';
import { type MediaDescription, parse, type SessionDescription } from 'sdp-transform';

export type { MediaDescription, SessionDescription };

/** An m-line's direction as RFC 3264 reads it: sendrecv when the attribute is absent. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/**
 * SdpEndpoint's str_to_sdp: GStreamer's SDP parser reads almost anything line by line, so what KMS rejects is
 * an empty text (40201 `Empty offer not valid` / `Empty answer not valid`) and a text without a `v=` line
 * (40201 `Invalid SDP`).
 */
export function parseSdp(text: string, kind: 'offer' | 'answer'): SessionDescription {
  if (text === '') throw kurentoError('SDP_PARSE_ERROR', `Empty ${kind} not valid`);
  if (!/^v=/m.test(text)) throw kurentoError('SDP_PARSE_ERROR', 'Invalid SDP');
  const sdp = parse(text);
  sdp.media ??= [];
  return sdp;
}

/** The direction of an m-line, falling back to the session-level attribute. */
export function directionOf(media: MediaDescription, session: SessionDescription): Direction {
  return media.direction ?? session.direction ?? 'sendrecv';
}

/** RFC 3264 §6.1, as KmsBaseRtpEndpoint answers: the reverse of the offer's direction. */
export function answerDirection(offered: Direction): Direction {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}

/** True if this side sends media in a negotiated direction. */
export function sends(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

/** True if this side receives media in a negotiated direction. */
export function receives(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

/** The mids of the offer's BUNDLE group, if it has one. */
export function bundleOf(sdp: SessionDescription): string[] | undefined {
  const group = sdp.groups?.find((g) => g.type === 'BUNDLE');
  return group ? String(group.mids).split(' ').filter(Boolean) : undefined;
}
