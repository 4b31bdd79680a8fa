import { write } from 'sdp-transform';
import type { EventSink } from '../objects/events';
import type { MediaObject } from '../objects/media-object';
import { answerDescription } from '../sdp/answer';
import { type LocalParameters, newLocalParameters } from '../sdp/local';
import { offerDescription } from '../sdp/offer';
import type { SessionDescription } from '../sdp/parse';
import { hostCandidateLine, iceCandidateValue } from './ice';
import type { EndpointConfig, LocalDescription, Negotiator, OfferRequest } from './negotiator';

/** What gathering and answer checks need of the local SDP, kept instead of the SDP itself (memory at scale). */
interface Layout {
  mediaCount: number;
  /** The first accepted m-line: the bundle's transport, whose candidates KMS reports. */
  first: { index: number; mid: string } | undefined;
}

function described(sdp: SessionDescription): { local: LocalDescription; layout: Layout } {
  const index = sdp.media.findIndex((m) => m.port !== 0);
  const media = sdp.media[index];
  return {
    local: { sdp: write(sdp), ports: sdp.media.map((m) => m.port) },
    layout: {
      mediaCount: sdp.media.length,
      first: media ? { index, mid: String(media.mid ?? index) } : undefined,
    },
  };
}

/** What a signalling-only endpoint needs from its process. */
export interface SignallingContext {
  readonly events: EventSink;
  /** SHA-256 fingerprint of the process's DTLS certificate. */
  readonly fingerprint: string;
  /** The address its (unreachable) candidates name: the emulator's listening interface. */
  readonly address: string;
  /** Hands out UDP port numbers for candidates and RtpEndpoint answers, so that no two endpoints share one. */
  nextPort(): number;
}

/**
 * Signalling only: SDP answers and offers are written from the real offer exactly as KMS would write them,
 * and gatherCandidates yields host candidates, but nothing listens behind them: a browser accepts every
 * description and candidate, and ICE never completes. This is the cheap default the scale tests run.
 */
export class SignallingNegotiator implements Negotiator {
  private readonly object: MediaObject;
  private readonly config: EndpointConfig;
  private readonly context: SignallingContext;
  private readonly local: LocalParameters;
  private layout: Layout | undefined;
  private version = 0;

  constructor(object: MediaObject, config: EndpointConfig, context: SignallingContext) {
    this.object = object;
    this.config = config;
    this.context = context;
    this.local = newLocalParameters(context.fingerprint);
  }

  answer(offer: SessionDescription): LocalDescription {
    const sdp = answerDescription(
      offer,
      {
        endpoint: this.config.kind,
        useDataChannels: this.config.useDataChannels,
        local: this.local,
        rtpAddress: { ip: this.context.address, port: this.context.nextPort() },
      },
      this.version++,
    );
    return this.keep(sdp);
  }

  offer(request: OfferRequest): LocalDescription {
    const sdp = offerDescription(
      {
        audio: request.audio,
        video: request.video,
        data: this.config.kind === 'webrtc' && this.config.useDataChannels,
        direction: this.config.offerDirection,
        local: this.local,
      },
      this.version++,
    );
    return this.keep(sdp);
  }

  applyAnswer(answer: SessionDescription): void {
    // RFC 3264 §6: an answer has exactly one m-line per offered m-line.
    if (answer.media.length !== this.layout?.mediaCount) throw new Error('m-lines do not match the offer');
  }

  gather(): void {
    // libnice gathers per stream; with BUNDLE KMS reports the candidates of the first accepted m-line.
    const first = this.layout?.first;
    if (first && this.config.kind === 'webrtc') {
      const { index, mid: sdpMid } = first;
      const port = this.context.nextPort();
      for (const [foundation, protocol] of [
        [1, 'UDP'],
        [2, 'TCP'],
      ] as const) {
        const candidate = hostCandidateLine(foundation, protocol, this.context.address, port);
        this.context.events.emit(this.object, 'IceCandidateFound', {
          candidate: iceCandidateValue({ candidate, sdpMid, sdpMLineIndex: index }),
        });
      }
    }
    this.context.events.emit(this.object, 'IceGatheringDone', {});
  }

  addRemoteCandidate(): void {
    // Nothing listens, so there is nothing to check the candidate against.
  }

  close(): void {}

  private keep(sdp: SessionDescription): LocalDescription {
    const { local, layout } = described(sdp);
    this.layout = layout;
    return local;
  }
}
