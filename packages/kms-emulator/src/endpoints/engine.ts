import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import type { EventSink } from '../objects/events';
import type { MediaConnection, MediaObject } from '../objects/media-object';
import type { DtlsCertificate } from '../sdp/certificate';
import type { Direction } from '../sdp/parse';
import type { EndpointConfig, Negotiator } from './negotiator';
import { SdpSession } from './sdp-session';
import { type SignallingContext, SignallingNegotiator } from './signalling';

/** What media mode's fabric is built from: the process's events, DTLS identity, clock and interface. */
export interface FabricContext {
  events: EventSink;
  certificate: DtlsCertificate;
  now: () => number;
  /** The interface the emulator listens on; ICE binds there too. */
  host: string;
}

/** The direction of media through an element: into its sink pads, or out of its source pads. */
export type FlowDirection = 'in' | 'out';

/**
 * Real media (media mode): WebRTC peers for WebRtcEndpoints, RTP forwarded along connect(), media flow
 * states and statistics. Absent in signalling-only mode.
 */
export interface MediaFabric {
  /** A negotiator with a real peer behind it for a WebRtcEndpoint. */
  negotiator(object: MediaObject, config: EndpointConfig): Negotiator;
  /** A connection was made: the sink needs a keyframe from its new source. */
  connected(connection: MediaConnection): void;
  /** requestKeyframe on a subscriber: ask its video sources for a keyframe. */
  requestKeyframe(object: MediaObject): void;
  /** isMediaFlowingIn/Out for one media type and pad description. */
  isFlowing(object: MediaObject, direction: FlowDirection, mediaType: string, description: string): boolean;
  /** getStats's map of stats, optionally for one media type. */
  stats(object: MediaObject, mediaType: string | undefined): Promise<JsonObject>;
  /** The object was released: stop forwarding through it. */
  destroyed(object: MediaObject): void;
  /** The process dies: timers stop (peers are closed through their sessions). */
  shutdown(): void;
}

/** The part of a KMS process that negotiates SDP and, in media mode, moves media. */
export class MediaEngine {
  readonly fabric: MediaFabric | undefined;
  private readonly events: EventSink;
  private readonly signalling: SignallingContext;
  private readonly sessions = new Map<MediaObject, SdpSession>();

  constructor(events: EventSink, signalling: SignallingContext, fabric?: MediaFabric) {
    this.events = events;
    this.signalling = signalling;
    this.fabric = fabric;
  }

  /** The negotiation state of an SDP endpoint, made on its first SDP or ICE operation. */
  session(object: MediaObject): SdpSession {
    let session = this.sessions.get(object);
    if (!session) {
      const config = endpointConfig(object);
      const negotiator =
        this.fabric && config.kind === 'webrtc'
          ? this.fabric.negotiator(object, config)
          : new SignallingNegotiator(object, config, this.signalling);
      session = new SdpSession(object, this.events, negotiator);
      this.sessions.set(object, session);
    }
    return session;
  }

  /** An object was released: its negotiation ends and its peer closes. */
  destroyed(object: MediaObject): void {
    const session = this.sessions.get(object);
    if (session) {
      this.sessions.delete(object);
      session.close();
    }
    this.fabric?.destroyed(object);
  }

  /** The process dies: every peer closes. */
  shutdown(): void {
    for (const object of [...this.sessions.keys()]) this.destroyed(object);
    this.fabric?.shutdown();
  }
}

function endpointConfig(object: MediaObject): EndpointConfig {
  const flag = (name: string) => object.getProp(name) === true;
  // WebRtcEndpointImpl applies recvonly, then sendonly: sendonly wins if both are set.
  let offerDirection: Direction = 'sendrecv';
  if (flag('recvonly')) offerDirection = 'recvonly';
  if (flag('sendonly')) offerDirection = 'sendonly';
  return {
    kind: object.mediaClass.isA('WebRtcEndpoint') ? 'webrtc' : 'rtp',
    useDataChannels: flag('useDataChannels'),
    offerDirection,
  };
}
