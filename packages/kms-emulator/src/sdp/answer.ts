import { type MediaDescription, type SessionDescription, write } from 'sdp-transform';
import { ABS_SEND_TIME, type Format, KMS_CODECS, supportedFormats, VIDEO_FEEDBACK } from './codecs';
import { type LocalParameters, sessionHeader, transportAttributes } from './local';
import { answerDirection, bundleOf, type Direction, directionOf, sends } from './parse';

/** Which SDP endpoint answers, and how it was built. */
export interface AnswerOptions {
  /** WebRtcEndpoint (ICE + DTLS-SRTP, BUNDLE) or RtpEndpoint (plain RTP/AVP). */
  endpoint: 'webrtc' | 'rtp';
  /** The WebRtcEndpoint constructor's useDataChannels: without it, m=application is rejected. */
  useDataChannels: boolean;
  local: LocalParameters;
  /** Where an RtpEndpoint receives (its c= address and first port). */
  rtpAddress?: { ip: string; port: number };
}

const WEBRTC_RTP = /^(UDP\/TLS\/RTP\/SAVPF|UDP\/TLS\/RTP\/SAVP|RTP\/SAVPF)$/;
const PLAIN_RTP = /^RTP\/AVPF?$/;
const DATA_CHANNEL = /^(UDP\/DTLS\/SCTP|DTLS\/SCTP)$/;
const SCTP_PORT = 5000;

/** RFC 3264 §6: a rejected stream keeps its type, protocol and one format, with port 0. */
function rejected(offered: MediaDescription): MediaDescription {
  const payloads = String(offered.payloads ?? '').split(' ')[0] ?? '';
  const media: MediaDescription = {
    type: offered.type,
    port: 0,
    protocol: offered.protocol,
    payloads,
    rtp: [],
    fmtp: [],
  };
  if (offered.mid !== undefined) media.mid = offered.mid;
  return media;
}

function rtpAttributes(offered: MediaDescription, formats: Format[], direction: Direction) {
  const kept = new Set(formats.map((f) => f.payload));
  const feedback = offered.type === 'video' ? new Set(VIDEO_FEEDBACK) : new Set<string>();
  return {
    payloads: formats.map((f) => f.payload).join(' '),
    rtp: (offered.rtp ?? []).filter((r) => kept.has(r.payload)),
    fmtp: (offered.fmtp ?? []).filter((f) => kept.has(f.payload)),
    rtcpFb: (offered.rtcpFb ?? []).filter(
      (fb) => kept.has(Number(fb.payload)) && feedback.has(fb.subtype ? `${fb.type} ${fb.subtype}` : fb.type),
    ),
    ext: (offered.ext ?? []).filter((e) => e.uri === ABS_SEND_TIME),
    direction,
  };
}

function answerRtp(
  offered: MediaDescription,
  session: SessionDescription,
  options: AnswerOptions,
  index: number,
): MediaDescription {
  const webrtc = options.endpoint === 'webrtc';
  const kind = offered.type === 'audio' ? 'audio' : 'video';
  const protocolOk = webrtc ? WEBRTC_RTP.test(offered.protocol) : PLAIN_RTP.test(offered.protocol);
  const formats = protocolOk ? supportedFormats(offered, KMS_CODECS[kind]) : [];
  if (formats.length === 0) return rejected(offered);

  const direction = answerDirection(directionOf(offered, session));
  const { local } = options;
  const media: MediaDescription = {
    type: offered.type,
    // KMS answers port 1 on WebRTC m-lines: ICE candidates carry the real ports.
    port: webrtc ? 1 : (options.rtpAddress?.port ?? 5004) + 2 * index,
    protocol: offered.protocol,
    ...rtpAttributes(offered, formats, direction),
  };
  if (offered.mid !== undefined) media.mid = offered.mid;
  if (webrtc) {
    Object.assign(media, transportAttributes(local, offered.setup === 'active' ? 'passive' : 'active'));
    if (offered.rtcpMux) media.rtcpMux = 'rtcp-mux';
  } else if (options.rtpAddress) {
    media.connection = { version: 4, ip: options.rtpAddress.ip };
  }
  if (sends(direction)) {
    media.ssrcs = [{ id: local.ssrc[kind], attribute: 'cname', value: local.cname }];
  }
  return media;
}

function answerData(offered: MediaDescription, options: AnswerOptions): MediaDescription {
  if (options.endpoint !== 'webrtc' || !options.useDataChannels || !DATA_CHANNEL.test(offered.protocol)) {
    return rejected(offered);
  }
  const media: MediaDescription = {
    type: 'application',
    port: 1,
    protocol: offered.protocol,
    payloads: offered.payloads ?? 'webrtc-datachannel',
    rtp: [],
    fmtp: [],
    ...transportAttributes(options.local, offered.setup === 'active' ? 'passive' : 'active'),
  };
  if (offered.mid !== undefined) media.mid = offered.mid;
  // The legacy form (m=application 9 DTLS/SCTP 5000) carries the port in a=sctpmap, the current one in a=sctp-port.
  if (offered.sctpmap)
    media.sctpmap = { sctpmapNumber: SCTP_PORT, app: 'webrtc-datachannel', maxMessageSize: 65535 };
  else media.sctpPort = SCTP_PORT;
  return media;
}

/**
 * The answer a KMS 7.3 SDP endpoint gives to `offer` (signalling only: nothing listens behind it). Every
 * m-line of the offer is answered in order with its mid: accepted with the supported codecs the offer listed
 * (in its order, with its payload types), the reverse direction, the offered abs-send-time extension and
 * REMB/NACK/PLI/FIR feedback, rtcp-mux, ICE credentials, the DTLS fingerprint and `a=setup` per RFC 8842; or
 * rejected with port 0 when nothing in it is supported. Accepted mids that the offer bundled form the BUNDLE group.
 */
export function answerDescription(
  offer: SessionDescription,
  options: AnswerOptions,
  version = 0,
): SessionDescription {
  const answer = sessionHeader(options.local, version);
  answer.media = offer.media.map((offered, index) => {
    if (offered.port === 0) return rejected(offered);
    if (offered.type === 'audio' || offered.type === 'video')
      return answerRtp(offered, offer, options, index);
    if (offered.type === 'application') return answerData(offered, options);
    return rejected(offered);
  });
  const bundle = bundleOf(offer);
  const accepted = answer.media.filter((m) => m.port !== 0 && m.mid !== undefined).map((m) => String(m.mid));
  const grouped = bundle ? accepted.filter((mid) => bundle.includes(mid)) : [];
  if (options.endpoint === 'webrtc' && grouped.length > 0)
    answer.groups = [{ type: 'BUNDLE', mids: grouped.join(' ') }];
  return answer;
}

/** answerDescription as text. */
export function buildAnswer(offer: SessionDescription, options: AnswerOptions, version = 0): string {
  return write(answerDescription(offer, options, version));
}
