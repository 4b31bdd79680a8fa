import { readFileSync } from 'node:fs';
import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { buildAnswer } from './answer';
import { createDtlsCertificate } from './certificate';
import { formatsOf } from './codecs';
import { newLocalParameters } from './local';
import { buildOffer } from './offer';
import { answerDirection, bundleOf, directionOf, parseSdp } from './parse';

/** Offers Chromium 156 made here (fake devices): audio+video, audio, recvonly, data, audio+video+data. */
function chromiumOffer(name: string): string {
  return readFileSync(new URL(`./fixtures/chromium-${name}.sdp`, import.meta.url), 'utf8');
}

const certificate = createDtlsCertificate();
const local = newLocalParameters(certificate.fingerprint);

function answer(offerText: string, useDataChannels = false) {
  const offer = parseSdp(offerText, 'offer');
  return { offer, answer: parse(buildAnswer(offer, { endpoint: 'webrtc', useDataChannels, local })) };
}

describe('WebRtcEndpoint answers built from the offer', () => {
  it.each(['av', 'audio', 'recvonly', 'data', 'avdata'])(
    'answers the %s offer m-line for m-line: same types, order and mids',
    (name) => {
      const { offer, answer: sdp } = answer(chromiumOffer(name), true);
      expect(sdp.media.map((m) => [m.type, m.mid])).toEqual(offer.media.map((m) => [m.type, m.mid]));
      expect(sdp.origin.address).toBe('0.0.0.0');
      expect(sdp.name).toBe('Kurento Media Server');
    },
  );

  it.each(['av', 'audio', 'recvonly', 'avdata'])(
    'picks codecs from the %s offer: its payload types, in its order, only what KMS supports',
    (name) => {
      const { offer, answer: sdp } = answer(chromiumOffer(name));
      for (const [i, media] of sdp.media.entries()) {
        if (media.type === 'application') continue;
        const offered = formatsOf(offer.media[i] as (typeof offer.media)[number]);
        const answered = formatsOf(media);
        // A subsequence of the offer, with the offer's names for the payload types.
        const positions = answered.map((f) => offered.findIndex((o) => o.payload === f.payload));
        expect(positions.every((p) => p >= 0)).toBe(true);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        for (const format of answered) {
          expect(offered.find((o) => o.payload === format.payload)?.name).toBe(format.name);
          expect(format.name).toMatch(/^(opus\/48000\/2|PCMU\/8000|PCMA\/8000|VP8|VP9|H264|AV1)/);
        }
        expect(answered[0]?.name).toBe(media.type === 'audio' ? 'opus/48000/2' : 'VP8/90000');
        // No rtx/red/CN/telephone-event: KMS negotiates none of them.
        expect(answered.some((f) => /rtx|red|CN|telephone/.test(f.name))).toBe(false);
        expect(media.rtcpFb?.some((fb) => fb.type === 'transport-cc')).toBeFalsy();
      }
    },
  );

  it.each([
    ['av', 'sendrecv'],
    ['recvonly', 'sendonly'],
  ])('answers the directions of the %s offer in reverse (%s)', (name, expected) => {
    const { offer, answer: sdp } = answer(chromiumOffer(name));
    for (const [i, media] of sdp.media.entries()) {
      const offered = offer.media[i] as (typeof offer.media)[number];
      expect(media.direction).toBe(answerDirection(directionOf(offered, offer)));
      expect(media.direction).toBe(expected);
    }
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('inactive')).toBe('inactive');
  });

  it('carries ICE credentials, the certificate fingerprint, setup:active, rtcp-mux and a BUNDLE of every mid', () => {
    const { offer, answer: sdp } = answer(chromiumOffer('avdata'), true);
    expect(bundleOf(sdp)).toEqual(bundleOf(offer));
    for (const media of sdp.media) {
      expect(media.port).toBe(1);
      expect(media.iceUfrag).toMatch(/^[A-Za-z0-9+/]{4,}$/);
      expect(media.icePwd?.length).toBeGreaterThanOrEqual(22);
      expect(media.fingerprint).toEqual({ type: 'sha-256', hash: certificate.fingerprint });
      // RFC 8842: the answerer to an actpass offer picks active (KMS is the DTLS client).
      expect(media.setup).toBe('active');
      if (media.type !== 'application') expect(media.rtcpMux).toBe('rtcp-mux');
    }
    const data = sdp.media[2];
    expect([data?.protocol, data?.payloads, data?.sctpPort]).toEqual([
      'UDP/DTLS/SCTP',
      'webrtc-datachannel',
      5000,
    ]);
  });

  it('rejects m=application (port 0, out of BUNDLE) when the endpoint has no data channels', () => {
    const { answer: sdp } = answer(chromiumOffer('avdata'), false);
    expect(sdp.media.map((m) => m.port)).toEqual([1, 1, 0]);
    expect(bundleOf(sdp)).toEqual(['0', '1']);
    const only = answer(chromiumOffer('data'), false).answer;
    expect(only.media.map((m) => [m.type, m.port, String(m.mid)])).toEqual([['application', 0, '0']]);
    expect(only.groups).toBeUndefined();
  });

  it('answers an audio-only offer with audio only, and an offer it cannot carry with rejected m-lines', () => {
    const audio = answer(chromiumOffer('audio')).answer;
    expect(audio.media.map((m) => m.type)).toEqual(['audio']);
    // kurento-client-js's own test offer: plain RTP/AVP, H264/MP4V-ES/H263, no ICE or DTLS.
    const legacy = [
      'v=0',
      'o=- 12345 12345 IN IP4 95.125.31.136',
      's=-',
      'c=IN IP4 95.125.31.136',
      't=0 0',
      'm=video 52126 RTP/AVP 96 97 98',
      'a=rtpmap:96 H264/90000',
      'a=rtpmap:97 MP4V-ES/90000',
      'a=rtpmap:98 H263-1998/90000',
      'a=recvonly',
      'b=AS:384',
      '',
    ].join('\r\n');
    const rejected = answer(legacy).answer;
    expect(rejected.media.map((m) => [m.type, m.port, m.protocol, String(m.payloads)])).toEqual([
      ['video', 0, 'RTP/AVP', '96'],
    ]);
    // An RtpEndpoint takes it: H264 is the one codec in common, answered sendonly on a real-looking port.
    const rtp = parse(
      buildAnswer(parseSdp(legacy, 'offer'), {
        endpoint: 'rtp',
        useDataChannels: false,
        local,
        rtpAddress: { ip: '127.0.0.1', port: 41000 },
      }),
    );
    expect(rtp.media.map((m) => [m.port, m.protocol, String(m.payloads), m.direction])).toEqual([
      [41000, 'RTP/AVP', '96', 'sendonly'],
    ]);
    expect(rtp.media[0]?.iceUfrag).toBeUndefined();
  });
});

describe('WebRtcEndpoint offers', () => {
  it('offers audio, video and (with data channels) SCTP, bundled, actpass, with KMS mids and codecs', () => {
    const sdp = parse(buildOffer({ audio: true, video: true, data: true, direction: 'recvonly', local }));
    expect(sdp.media.map((m) => [m.type, m.mid, m.setup])).toEqual([
      ['audio', 'audio0', 'actpass'],
      ['video', 'video0', 'actpass'],
      ['application', 'application0', 'actpass'],
    ]);
    expect(bundleOf(sdp)).toEqual(['audio0', 'video0', 'application0']);
    expect(formatsOf(sdp.media[0] as (typeof sdp.media)[number]).map((f) => f.name)).toEqual([
      'opus/48000/2',
      'PCMU/8000',
      'PCMA/8000',
    ]);
    expect(sdp.media[1]?.direction).toBe('recvonly');
    // A receive-only endpoint announces no source.
    expect(sdp.media[1]?.ssrcs).toBeUndefined();
    expect(
      parse(buildOffer({ audio: false, video: true, data: false, direction: 'sendrecv', local })).media.map(
        (m) => m.type,
      ),
    ).toEqual(['video']);
  });
});
