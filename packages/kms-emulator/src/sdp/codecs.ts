import type { MediaDescription } from './parse';

/** One payload format of an m-line, as both sides name it. */
export interface Format {
  payload: number;
  /** `encoding/clock[/channels]`, e.g. `opus/48000/2`. */
  name: string;
}

/**
 * The codecs of KMS 7.3's default SdpEndpoint configuration that a WebRtcEndpoint keeps (it drops what its
 * WebRTC stack cannot carry: AMR, and H265 unless enabled), in configuration order.
 */
export const KMS_CODECS: Readonly<Record<'audio' | 'video', readonly string[]>> = {
  audio: ['opus/48000/2', 'PCMU/8000', 'PCMA/8000'],
  video: ['AV1/90000', 'VP9/90000', 'VP8/90000', 'H264/90000'],
};

/** RTCP feedback KMS's AVPF media handler negotiates for video (no transport-cc: KMS uses REMB). */
export const VIDEO_FEEDBACK: readonly string[] = ['goog-remb', 'ccm fir', 'nack', 'nack pli'];

/** The header extension KMS negotiates when offered (abs-send-time, for REMB). */
export const ABS_SEND_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';

// RFC 3551 static payload types a WebRTC offer may use without an rtpmap.
const STATIC_PAYLOADS: Readonly<Record<number, string>> = { 0: 'PCMU/8000', 8: 'PCMA/8000', 9: 'G722/8000' };

function normalise(name: string): string {
  // "For audio streams, <encoding parameters> … may be omitted if the number of channels is one" (RFC 4566 §6).
  return (name.endsWith('/1') ? name.slice(0, -2) : name).toLowerCase();
}

/** The formats of an m-line with their names, in the order offered. */
export function formatsOf(media: MediaDescription): Format[] {
  const payloads = String(media.payloads ?? '')
    .split(' ')
    .filter(Boolean);
  return payloads.map((text) => {
    const payload = Number(text);
    const rtp = media.rtp?.find((r) => r.payload === payload);
    const name = rtp
      ? `${rtp.codec}/${rtp.rate ?? ''}${rtp.encoding ? `/${rtp.encoding}` : ''}`
      : (STATIC_PAYLOADS[payload] ?? '');
    return { payload, name };
  });
}

/**
 * kms_sdp_rtp_avp_media_handler_add_answer_attributes: the offered formats whose encoding KMS supports, in the
 * offer's order, with the offer's payload types.
 */
export function supportedFormats(media: MediaDescription, codecs: readonly string[]): Format[] {
  const wanted = new Set(codecs.map(normalise));
  return formatsOf(media).filter((format) => format.name !== '' && wanted.has(normalise(format.name)));
}
