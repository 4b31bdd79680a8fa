import { describe, expect, it } from 'vitest';
import { connectOne } from '../objects/connections';
import type { EventFields, EventSink } from '../objects/events';
import { kurentoRegistry } from '../objects/kmd';
import type { MediaObject } from '../objects/media-object';
import { MediaSet } from '../objects/media-set';
import { FlowMonitor, type Kind } from './flows';
import { MediaRouter, type NetworkPort } from './router';

const registry = kurentoRegistry();

/** A pipeline of real media objects, a router with recording ports, and the flow events raised. */
function setup() {
  const set = new MediaSet(registry, { deliver: () => {}, now: () => 1 });
  const raised: Array<{ source: string; type: string; fields: EventFields }> = [];
  const sink: EventSink = {
    emit: (source, type, fields) => raised.push({ source: source.id, type, fields }),
  };
  const flows = new FlowMonitor(sink);
  const router = new MediaRouter(flows);
  const pipeline = set.create(registry.classes.get('MediaPipeline')!, 's', undefined, {});
  const make = (type: string) => set.create(registry.classes.get(type)!, 's', pipeline, {});
  const sent: Array<{ to: string; kind: Kind; packet: string }> = [];
  const keyframes: string[] = [];
  const port = (object: MediaObject): void => {
    const networkPort: NetworkPort = {
      send: (kind, packet) => sent.push({ to: object.id, kind, packet: packet.toString() }),
      requestKeyframe: () => keyframes.push(object.id),
    };
    router.attach(object, networkPort);
  };
  const connect = (from: MediaObject, to: MediaObject, type: string) =>
    connectOne(from, to, type, 'default', 'default', set);
  return { flows, router, make, port, connect, sent, keyframes, raised };
}

describe('the media router follows connect()', () => {
  it('loops a WebRtcEndpoint connected to itself back to its own peer, per media type', () => {
    const { router, make, port, connect, sent, raised } = setup();
    const loop = make('WebRtcEndpoint');
    port(loop);
    connect(loop, loop, 'VIDEO');
    router.fromNetwork(loop, 'video', Buffer.from('v1'));
    router.fromNetwork(loop, 'audio', Buffer.from('a1'));
    // Audio is not connected: it leaves the source pad and goes nowhere.
    expect(sent).toEqual([{ to: loop.id, kind: 'video', packet: 'v1' }]);
    expect(raised.map((e) => [e.type, e.fields.mediaType, e.fields.state])).toEqual([
      ['MediaFlowOutStateChanged', 'VIDEO', 'FLOWING'],
      ['MediaFlowInStateChanged', 'VIDEO', 'FLOWING'],
      ['MediaFlowOutStateChanged', 'AUDIO', 'FLOWING'],
    ]);
  });

  it('fans out through a PassThrough to every viewer, and carries keyframe requests back to the presenter', () => {
    const { router, make, port, connect, sent, keyframes } = setup();
    const [presenter, passThrough, viewerA, viewerB, recorder] = [
      make('WebRtcEndpoint'),
      make('PassThrough'),
      make('WebRtcEndpoint'),
      make('WebRtcEndpoint'),
      make('RecorderEndpoint'),
    ];
    for (const endpoint of [presenter, viewerA, viewerB]) port(endpoint);
    connect(presenter, passThrough, 'VIDEO');
    for (const viewer of [viewerA, viewerB, recorder]) connect(passThrough, viewer, 'VIDEO');
    router.fromNetwork(presenter, 'video', Buffer.from('frame'));
    expect(sent.map((s) => s.to).sort()).toEqual([viewerA.id, viewerB.id].sort());
    router.requestKeyframe(viewerB);
    expect(keyframes).toEqual([presenter.id]);
    // The presenter itself is fed nothing: no keyframe to ask for.
    router.requestKeyframe(presenter);
    expect(keyframes).toEqual([presenter.id]);
  });

  it('does not circle forever in a ring of PassThroughs', () => {
    const { router, make, port, connect, sent } = setup();
    const [source, a, b] = [make('WebRtcEndpoint'), make('PassThrough'), make('PassThrough')];
    port(source);
    connect(source, a, 'AUDIO');
    connect(a, b, 'AUDIO');
    connect(b, a, 'AUDIO');
    router.fromNetwork(source, 'audio', Buffer.from('x'));
    expect(sent).toEqual([]);
    router.requestKeyframe(a);
  });
});

describe('media flow states', () => {
  it('FLOWING on the first buffer, NOT_FLOWING after a check that saw none, like KmsElement', () => {
    const { flows, make, raised } = setup();
    const element = make('PassThrough');
    flows.mark(element, 'in', 'video');
    flows.mark(element, 'in', 'video');
    expect(flows.isFlowing(element, 'in', 'video')).toBe(true);
    flows.check(); // buffers since the last check: still flowing
    expect(raised.map((e) => e.fields.state)).toEqual(['FLOWING']);
    flows.check(); // none since: not flowing
    expect(flows.isFlowing(element, 'in', 'video')).toBe(false);
    expect(raised.at(-1)).toMatchObject({
      type: 'MediaFlowInStateChanged',
      fields: { mediaType: 'VIDEO', padName: 'default', state: 'NOT_FLOWING' },
    });
    flows.mark(element, 'in', 'video');
    expect(raised.map((e) => e.fields.state)).toEqual(['FLOWING', 'NOT_FLOWING', 'FLOWING']);
    flows.stop();
  });
});
