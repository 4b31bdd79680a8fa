import { randomBytes, randomInt } from 'node:crypto';
import type { MediaDescription, SessionDescription } from 'sdp-transform';

/** What one endpoint puts in every SDP it writes: its ICE credentials, DTLS fingerprint and RTP sources. */
export interface LocalParameters {
  /** o= session id, fixed for the endpoint's life (GStreamer's SDP agent makes one per session). */
  readonly sessionId: string;
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** SHA-256 fingerprint of the process's DTLS certificate. */
  readonly fingerprint: string;
  readonly cname: string;
  /** The SSRC this endpoint would send with, per media kind. */
  readonly ssrc: Readonly<Record<'audio' | 'video', number>>;
}

// ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839); base64 without padding is exactly that alphabet.
function iceChars(length: number): string {
  return randomBytes(length).toString('base64').replace(/=/g, '').slice(0, length);
}

/** Fresh parameters for a new endpoint; the fingerprint is the process's certificate's. */
export function newLocalParameters(fingerprint: string): LocalParameters {
  return {
    sessionId: String(randomInt(1, 2 ** 47)),
    // RFC 8839: ufrag at least 4 characters, pwd at least 22.
    iceUfrag: iceChars(4),
    icePwd: iceChars(24),
    fingerprint,
    cname: `user${randomInt(1, 2 ** 31)}@host-${randomBytes(4).toString('hex')}`,
    ssrc: { audio: randomInt(1, 2 ** 32), video: randomInt(1, 2 ** 32) },
  };
}

/** The session part KMS writes: its own origin and name, one connection line, permanent timing. */
export function sessionHeader(local: LocalParameters, version: number): SessionDescription {
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: local.sessionId,
      sessionVersion: version,
      netType: 'IN',
      ipVer: 4,
      address: '0.0.0.0',
    },
    name: 'Kurento Media Server',
    connection: { version: 4, ip: '0.0.0.0' },
    timing: { start: 0, stop: 0 },
    media: [],
  };
}

/** ICE credentials and DTLS identity of an m-line; `setup` per RFC 8842 (actpass in offers). */
export function transportAttributes(
  local: LocalParameters,
  setup: 'actpass' | 'active' | 'passive',
): Partial<MediaDescription> {
  return {
    iceUfrag: local.iceUfrag,
    icePwd: local.icePwd,
    fingerprint: { type: 'sha-256', hash: local.fingerprint },
    setup,
  };
}
