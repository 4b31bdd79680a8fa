import { type MediaDescription, type SessionDescription, write } from 'sdp-transform';
import { ABS_SEND_TIME, KMS_CODECS, VIDEO_FEEDBACK } from './codecs';
import { type LocalParameters, sessionHeader, transportAttributes } from './local';
import { type Direction, sends } from './parse';

/** What generateOffer offers: KMS's OfferOptions plus what the endpoint was built with. */
export interface OfferOptions {
  audio: boolean;
  video: boolean;
  /** useDataChannels: an m=application line for SCTP data channels. */
  data: boolean;
  /** KMS's offer-dir: sendrecv, or recvonly/sendonly when the endpoint was created so. */
  direction: Direction;
  local: LocalParameters;
}

// KMS hands out dynamic payload types from 96 in configuration order (its payload manager).
const FIRST_DYNAMIC = 96;
const STATIC: Readonly<Record<string, number>> = { 'PCMU/8000': 0, 'PCMA/8000': 8 };

function rtpMedia(kind: 'audio' | 'video', next: { pt: number }, options: OfferOptions): MediaDescription {
  const formats = KMS_CODECS[kind].map((name) => {
    const fixed = STATIC[name];
    return { payload: fixed ?? next.pt++, name };
  });
  const media: MediaDescription = {
    type: kind,
    port: 1,
    protocol: 'UDP/TLS/RTP/SAVPF',
    payloads: formats.map((f) => f.payload).join(' '),
    rtp: formats.map(({ payload, name }) => {
      const [codec = '', rate, channels] = name.split('/');
      return { payload, codec, rate: Number(rate), ...(channels ? { encoding: Number(channels) } : {}) };
    }),
    fmtp: [],
    // KMS's mid extension names m-lines after their media and a counter.
    mid: `${kind}0`,
    ext: [{ value: 1, uri: ABS_SEND_TIME }],
    direction: options.direction,
    rtcpMux: 'rtcp-mux',
    ...transportAttributes(options.local, 'actpass'),
  };
  if (kind === 'video') {
    media.rtcpFb = formats.flatMap(({ payload }) =>
      VIDEO_FEEDBACK.map((fb) => {
        const [type = '', subtype] = fb.split(' ');
        return { payload, type, ...(subtype ? { subtype } : {}) };
      }),
    );
  }
  if (sends(options.direction)) {
    media.ssrcs = [{ id: options.local.ssrc[kind], attribute: 'cname', value: options.local.cname }];
  }
  return media;
}

/**
 * The offer a KMS 7.3 WebRtcEndpoint generates (signalling only): an audio and a video m-line with every
 * configured codec, plus m=application when it uses data channels, all bundled, ICE credentials, the DTLS
 * fingerprint and `a=setup:actpass`.
 */
export function offerDescription(options: OfferOptions, version = 0): SessionDescription {
  const offer = sessionHeader(options.local, version);
  const next = { pt: FIRST_DYNAMIC };
  if (options.audio) offer.media.push(rtpMedia('audio', next, options));
  if (options.video) offer.media.push(rtpMedia('video', next, options));
  if (options.data) {
    offer.media.push({
      type: 'application',
      port: 1,
      protocol: 'UDP/DTLS/SCTP',
      payloads: 'webrtc-datachannel',
      rtp: [],
      fmtp: [],
      mid: 'application0',
      sctpPort: 5000,
      ...transportAttributes(options.local, 'actpass'),
    });
  }
  const mids = offer.media.map((m) => m.mid).join(' ');
  if (mids !== '') offer.groups = [{ type: 'BUNDLE', mids }];
  return offer;
}

/** offerDescription as text. */
export function buildOffer(options: OfferOptions, version = 0): string {
  return write(offerDescription(options, version));
}
