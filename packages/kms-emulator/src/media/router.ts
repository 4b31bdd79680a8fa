import type { MediaObject } from '../objects/media-object';
import { type FlowMonitor, type Kind, MEDIA_TYPE } from './flows';

/** What the router needs from an element that talks to the network (a WebRtcEndpoint's peer). */
export interface NetworkPort {
  /** Sends one RTP packet of `kind` to the remote peer, if that direction was negotiated. */
  send(kind: Kind, packet: Buffer): void;
  /** Asks the remote sender for a keyframe (RTCP PLI). */
  requestKeyframe(): void;
}

// Elements without a network side that KMS passes media through unchanged (or, for filters, processed; the
// emulator forwards them as they are). Anything else without a port (recorders, players) only consumes.
const PASS_THROUGH = ['PassThrough', 'Filter', 'HubPort'];

// A pipeline could connect pass-through elements in a ring; media must not circle forever.
const MAX_HOPS = 16;

/**
 * Moves RTP along the pipeline's connect() graph, as KMS's pads do: what an element's source pad emits goes
 * to every sink connected for that media type; WebRtcEndpoint loops back when connected to itself, and one
 * source fans out to many sinks. Packets are forwarded as they are, never transcoded, so sources and sinks
 * must have negotiated the same codec.
 */
export class MediaRouter {
  private readonly flows: FlowMonitor;
  private readonly ports = new Map<MediaObject, NetworkPort>();

  constructor(flows: FlowMonitor) {
    this.flows = flows;
  }

  attach(object: MediaObject, port: NetworkPort): void {
    this.ports.set(object, port);
  }

  detach(object: MediaObject): void {
    this.ports.delete(object);
  }

  /** RTP that arrived from the network at `object`: it leaves through the element's source pads. */
  fromNetwork(object: MediaObject, kind: Kind, packet: Buffer): void {
    this.emit(object, kind, packet, 0);
  }

  /**
   * A sink wants a keyframe (a viewer's PLI, a new connection, requestKeyframe): the request travels up the
   * VIDEO connections to the endpoints that receive video from the network.
   */
  requestKeyframe(sink: MediaObject, hops = 0): void {
    for (const connection of sink.sources ?? []) {
      if (connection.type !== 'VIDEO') continue;
      const source = connection.source;
      const port = this.ports.get(source);
      if (port) port.requestKeyframe();
      else if (passesThrough(source) && hops < MAX_HOPS) this.requestKeyframe(source, hops + 1);
    }
  }

  private emit(source: MediaObject, kind: Kind, packet: Buffer, hops: number): void {
    this.flows.mark(source, 'out', kind);
    const type = MEDIA_TYPE[kind];
    for (const connection of source.sinks ?? []) {
      if (connection.type === type) this.deliver(connection.sink, kind, packet, hops);
    }
  }

  private deliver(sink: MediaObject, kind: Kind, packet: Buffer, hops: number): void {
    this.flows.mark(sink, 'in', kind);
    const port = this.ports.get(sink);
    if (port) port.send(kind, packet);
    else if (passesThrough(sink) && hops < MAX_HOPS) this.emit(sink, kind, packet, hops + 1);
  }
}

function passesThrough(object: MediaObject): boolean {
  return PASS_THROUGH.some((name) => object.mediaClass.isA(name));
}
