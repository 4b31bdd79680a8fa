import {
  kurentoCall as call,
  type KurentoClient,
  type MediaElement,
  type MediaPipeline,
} from '@kurento-fleet/kurento';

/**
 * A pipeline and two PassThroughs on `client`, the source subscribed to ElementConnected, the subscription
 * answered: what the tests of a session that outlives its socket (a dropped connection, a gateway restart) use to
 * show the subscription still delivers. `connect()` connects source to sink, which makes three connections
 * (audio, video, data), one ElementConnected each; `connected()` counts them.
 */
export async function watchedPair(client: KurentoClient) {
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = await call<MediaElement>((cb) => pipeline.create('PassThrough', cb));
  const sink = await call<MediaElement>((cb) => pipeline.create('PassThrough', cb));
  let connected = 0;
  source.on('ElementConnected', () => {
    connected += 1;
  });
  await call<string>((cb) => source.getName(cb));
  return {
    pipeline,
    /** The client's Kurento session: the same after a resume. */
    sessionId: (client as unknown as { sessionId: string }).sessionId,
    connected: () => connected,
    connect: () => call<void>((cb) => source.connect(sink, cb)),
  };
}
