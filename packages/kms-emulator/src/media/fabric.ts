import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import type * as Werift from 'werift';
import type { FabricContext, FlowDirection, MediaFabric } from '../endpoints/engine';
import type { EndpointConfig, Negotiator } from '../endpoints/negotiator';
import type { MediaConnection, MediaObject } from '../objects/media-object';
import { FlowMonitor, type Kind } from './flows';
import { WebRtcPeer } from './peer';
import { MediaRouter } from './router';

const KIND: Readonly<Record<string, Kind>> = { AUDIO: 'audio', VIDEO: 'video' };

/** Media mode: a werift peer behind every WebRtcEndpoint, RTP routed along connect(), flows and stats. */
export class WeriftFabric implements MediaFabric {
  private readonly context: FabricContext;
  private readonly werift: typeof Werift;
  private readonly flows: FlowMonitor;
  private readonly router: MediaRouter;
  private readonly peers = new Map<MediaObject, WebRtcPeer>();

  constructor(werift: typeof Werift, context: FabricContext) {
    this.werift = werift;
    this.context = context;
    this.flows = new FlowMonitor(context.events);
    this.router = new MediaRouter(this.flows);
  }

  negotiator(object: MediaObject, config: EndpointConfig): Negotiator {
    const { events, certificate, host, now } = this.context;
    const peer = new WebRtcPeer(object, config, {
      werift: this.werift,
      events,
      router: this.router,
      certificate,
      host,
      now,
    });
    this.peers.set(object, peer);
    return peer;
  }

  connected(connection: MediaConnection): void {
    if (connection.type === 'VIDEO') this.router.requestKeyframe(connection.sink);
  }

  requestKeyframe(object: MediaObject): void {
    this.router.requestKeyframe(object);
  }

  isFlowing(object: MediaObject, direction: FlowDirection, mediaType: string, description: string): boolean {
    const kind = KIND[mediaType];
    return kind !== undefined && description === 'default' && this.flows.isFlowing(object, direction, kind);
  }

  async stats(object: MediaObject, mediaType: string | undefined): Promise<JsonObject> {
    const peer = this.peers.get(object);
    return peer ? peer.stats(mediaType === undefined ? undefined : KIND[mediaType]) : {};
  }

  destroyed(object: MediaObject): void {
    this.peers.delete(object);
    this.router.detach(object);
    this.flows.forget(object);
  }

  shutdown(): void {
    this.flows.stop();
  }
}

/** Loads werift (only media mode pays for it) and returns the fabric factory a KMS process takes. */
export async function weriftFabric(): Promise<(context: FabricContext) => MediaFabric> {
  const werift = await import('werift');
  return (context) => new WeriftFabric(werift, context);
}
