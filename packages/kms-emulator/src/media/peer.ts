import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { parse, write } from 'sdp-transform';
import type * as Werift from 'werift';
import type { IceCandidateInit } from '../endpoints/ice';
import type { EndpointConfig, LocalDescription, Negotiator, OfferRequest } from '../endpoints/negotiator';
import type { EventSink } from '../objects/events';
import type { MediaObject } from '../objects/media-object';
import { answerDescription } from '../sdp/answer';
import type { DtlsCertificate } from '../sdp/certificate';
import { newLocalParameters } from '../sdp/local';
import { answerDirection, directionOf, type SessionDescription } from '../sdp/parse';
import type { Kind } from './flows';
import { PeerEvents } from './peer-events';
import type { MediaRouter, NetworkPort } from './router';
import { kmsStats, type WebRtcStat } from './stats';

/** What every peer of one emulator shares. */
export interface PeerContext {
  readonly werift: typeof Werift;
  readonly events: EventSink;
  readonly router: MediaRouter;
  readonly certificate: DtlsCertificate;
  /** The emulator's interface: ICE binds there and only its candidates are announced (unless 0.0.0.0). */
  readonly host: string;
  readonly now: () => number;
}

const ANY = new Set(['0.0.0.0', '::', '']);

/**
 * A WebRtcEndpoint in media mode: a real WebRTC peer (werift) that negotiates with the browser, runs ICE,
 * DTLS and SRTP, hands the RTP it receives to the router and sends what the router delivers. KMS's events
 * come from the peer's real state changes (see PeerEvents).
 */
export class WebRtcPeer implements Negotiator, NetworkPort {
  private readonly object: MediaObject;
  private readonly config: EndpointConfig;
  private readonly context: PeerContext;
  private readonly events: PeerEvents;
  private pc: Werift.RTCPeerConnection | undefined;
  private readonly senders = new Map<Kind, Werift.RTCRtpSender>();
  private readonly receivers = new Map<Kind, { receiver: Werift.RTCRtpReceiver; ssrc: number }>();
  private closed = false;

  constructor(object: MediaObject, config: EndpointConfig, context: PeerContext) {
    this.object = object;
    this.config = config;
    this.context = context;
    this.events = new PeerEvents(object, context.events, (candidate) => this.announced(candidate));
  }

  async answer(offer: SessionDescription, text: string): Promise<LocalDescription> {
    // An offer KMS would refuse m-line by m-line (no WebRTC transport, no codec in common) is answered as KMS
    // answers it, all rejected; the WebRTC stack would throw on it instead.
    const refused = answerDescription(offer, {
      endpoint: 'webrtc',
      useDataChannels: this.config.useDataChannels,
      local: newLocalParameters(this.context.certificate.fingerprint),
    });
    if (refused.media.every((m) => m.port === 0))
      return { sdp: write(refused), ports: refused.media.map(() => 0) };
    const pc = this.open();
    // Tracks are announced inside setRemoteDescription when the offer lists SSRCs, so listen first.
    await pc.setRemoteDescription({ type: 'offer', sdp: text });
    for (const transceiver of pc.getTransceivers()) {
      const offered = offer.media[transceiver.mLineIndex ?? -1];
      if (offered) transceiver.setDirection(answerDirection(directionOf(offered, offer)));
    }
    await pc.setLocalDescription(await pc.createAnswer());
    this.bindTransceivers(pc);
    return this.localText(pc);
  }

  async offer(request: OfferRequest): Promise<LocalDescription> {
    const pc = this.open();
    const direction = this.config.offerDirection;
    if (request.audio) pc.addTransceiver('audio', { direction });
    if (request.video) pc.addTransceiver('video', { direction });
    // A pre-negotiated channel puts m=application in the offer without announcing a channel to the peer.
    if (this.config.useDataChannels) pc.createDataChannel('', { negotiated: true, id: 0 });
    await pc.setLocalDescription(await pc.createOffer());
    return this.localText(pc);
  }

  async applyAnswer(_answer: SessionDescription, text: string): Promise<void> {
    const pc = this.pc;
    if (!pc) throw new Error('no offer');
    await pc.setRemoteDescription({ type: 'answer', sdp: text });
    this.bindTransceivers(pc);
  }

  gather(): void {
    this.events.gatheringAllowed();
  }

  addRemoteCandidate(candidate: IceCandidateInit): void {
    this.pc?.addIceCandidate(candidate).catch(() => {
      // KMS logs a candidate its agent refuses; the application sees nothing.
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.context.router.detach(this.object);
    this.events.closed();
    this.pc?.close().catch(() => {});
  }

  send(kind: Kind, packet: Buffer): void {
    this.senders
      .get(kind)
      ?.sendRtp(packet)
      .catch(() => {});
  }

  requestKeyframe(): void {
    const video = this.receivers.get('video');
    if (video) video.receiver.sendRtcpPLI(video.ssrc).catch(() => {});
  }

  /** getStats in KMS's shape. */
  async stats(kind: Kind | undefined): Promise<JsonObject> {
    const report = this.pc ? await this.pc.getStats() : new Map();
    return kmsStats(this.object.id, report.values() as Iterable<WebRtcStat>, this.context.now(), kind);
  }

  private open(): Werift.RTCPeerConnection {
    const { werift, certificate, host } = this.context;
    const bound = ANY.has(host)
      ? {}
      : { iceInterfaceAddresses: { udp4: host }, iceAdditionalHostAddresses: [host] };
    const pc = new werift.RTCPeerConnection({
      iceServers: [],
      iceUseIpv6: false,
      // What the emulator can forward between peers without transcoding; VP8 and Opus first, as Chromium prefers.
      codecs: { audio: [werift.useOPUS(), werift.usePCMU()], video: [werift.useVP8(), werift.useH264()] },
      dtls: {
        keys: {
          certPem: certificate.certPem,
          keyPem: certificate.keyPem,
          signatureHash: {
            hash: werift.HashAlgorithm.sha256_4,
            signature: werift.SignatureAlgorithm.ecdsa_3,
          },
        },
      },
      ...bound,
    });
    this.pc = pc;
    this.context.router.attach(this.object, this);
    this.events.watch(pc);
    pc.onTrack.subscribe((track) => this.received(track));
    return pc;
  }

  private received(track: Werift.MediaStreamTrack): void {
    const kind = track.kind as Kind;
    let first = true;
    track.onReceiveRtp.subscribe((rtp) => {
      if (this.closed) return;
      if (first) {
        first = false;
        this.events.mediaArrived();
        // A sink connected before the source's first keyframe would otherwise wait for the next one.
        if (kind === 'video') this.requestKeyframe();
      }
      this.context.router.fromNetwork(this.object, kind, rtp.serialize());
    });
  }

  /** After negotiation: one sender and one receiver per kind, as KMS handles one audio and one video stream. */
  private bindTransceivers(pc: Werift.RTCPeerConnection): void {
    for (const transceiver of pc.getTransceivers()) {
      const kind = transceiver.kind as Kind;
      const direction = transceiver.currentDirection ?? transceiver.direction;
      if ((direction === 'sendrecv' || direction === 'sendonly') && !this.senders.has(kind)) {
        const sender = transceiver.sender;
        this.senders.set(kind, sender);
        // A viewer's decoder needs a keyframe: when the sender can send, and whenever the browser asks.
        sender.onReady.subscribe(() => this.context.router.requestKeyframe(this.object));
        sender.onPictureLossIndication.subscribe(() => this.context.router.requestKeyframe(this.object));
      }
      const track = transceiver.receiver.tracks[0];
      if (track?.ssrc !== undefined && !this.receivers.has(kind)) {
        this.receivers.set(kind, { receiver: transceiver.receiver, ssrc: track.ssrc });
      }
    }
  }

  /**
   * The local description as the application gets it: candidates go out one by one (IceCandidateFound, KMS
   * is trickle-only); m=application is refused unless the endpoint was built with useDataChannels.
   */
  private localText(pc: Werift.RTCPeerConnection): LocalDescription {
    const sdp = parse(pc.localDescription?.sdp ?? '');
    sdp.name = 'Kurento Media Server';
    const refused = new Set<string>();
    for (const media of sdp.media) {
      delete media.candidates;
      delete media.endOfCandidates;
      if (media.type === 'application' && !this.config.useDataChannels) {
        media.port = 0;
        refused.add(String(media.mid));
      }
    }
    for (const group of sdp.groups ?? []) {
      group.mids = String(group.mids)
        .split(' ')
        .filter((mid) => !refused.has(mid))
        .join(' ');
    }
    return { sdp: write(sdp), ports: sdp.media.map((m) => m.port) };
  }

  private announced(candidate: IceCandidateInit): boolean {
    const address = candidate.candidate.split(' ')[4];
    return ANY.has(this.context.host) || address === this.context.host;
  }
}
