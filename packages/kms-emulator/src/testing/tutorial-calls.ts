import {
  createKurentoClient,
  type KurentoClient,
  kurentoCall,
  loadKurentoClient,
  type MediaElement,
  type MediaPipeline,
  type WebRtcEndpoint,
} from '@kurento-fleet/kurento';
import type { AppMessage, PageMessage } from './page/protocol';

/** An event an endpoint raised, as the application received it. */
export interface ObservedEvent {
  type: string;
  data: Record<string, unknown>;
}

// What the application listens to besides IceCandidateFound: the media events it would use for monitoring.
const OBSERVED = [
  'MediaSessionStarted',
  'IceGatheringDone',
  'IceComponentStateChanged',
  'NewCandidatePairSelected',
  'ConnectionStateChanged',
  'MediaStateChanged',
  'MediaFlowInStateChanged',
  'MediaFlowOutStateChanged',
  'DataChannelOpened',
] as const;

type Candidate = Extract<PageMessage, { id: 'onIceCandidate' }>['candidate'];

/** One browser's call: its endpoint once created, the candidates that came before it, what it raised. */
export class Call {
  readonly events: ObservedEvent[] = [];
  endpoint: WebRtcEndpoint | undefined;
  pipeline: MediaPipeline | undefined;
  private readonly queue: Candidate[] = [];
  private readonly send: (message: AppMessage) => void;

  constructor(send: (message: AppMessage) => void) {
    this.send = send;
  }

  /** onIceCandidate: straight to the endpoint, or queued until it exists (as the tutorials do). */
  addCandidate(candidate: Candidate): void {
    if (!this.endpoint) {
      this.queue.push(candidate);
      return;
    }
    const value = loadKurentoClient().getComplexType('IceCandidate')({
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid ?? '',
      sdpMLineIndex: candidate.sdpMLineIndex ?? 0,
    });
    this.endpoint.addIceCandidate(value, (error) => {
      if (error) this.send({ id: 'error', message: `addIceCandidate: ${error.message}` });
    });
  }

  /** The events of one type the endpoint raised so far. */
  eventsOf(type: string): ObservedEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  /** Creates the call's WebRtcEndpoint, listens to it and hands it the queued candidates. */
  async createEndpoint(pipeline: MediaPipeline, useDataChannels: boolean): Promise<WebRtcEndpoint> {
    const params = useDataChannels ? { useDataChannels: true } : {};
    const endpoint = (await kurentoCall<MediaElement>((cb) =>
      pipeline.create('WebRtcEndpoint', params, cb),
    )) as WebRtcEndpoint;
    this.endpoint = endpoint;
    for (const candidate of this.queue.splice(0)) this.addCandidate(candidate);
    endpoint.on(
      'IceCandidateFound',
      (event: { candidate: Candidate & { sdpMid: string; sdpMLineIndex: number } }) => {
        const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
        this.send({ id: 'iceCandidate', candidate: { candidate, sdpMid, sdpMLineIndex } });
      },
    );
    for (const type of OBSERVED) {
      endpoint.on(type, (data: Record<string, unknown>) => this.events.push({ type, data }));
    }
    return endpoint;
  }

  /** processOffer, then gatherCandidates: the tutorials' order. */
  async negotiate(offer: string): Promise<string> {
    const endpoint = this.endpoint as WebRtcEndpoint;
    const answer = await kurentoCall<string>((cb) => endpoint.processOffer(offer, cb));
    await kurentoCall<void>((cb) => endpoint.gatherCandidates(cb));
    return answer;
  }

  async release(): Promise<void> {
    const pipeline = this.pipeline;
    this.pipeline = undefined;
    if (pipeline) await kurentoCall<void>((cb) => pipeline.release(cb)).catch(() => {});
  }
}

/** The presenter of the one2many call: its pipeline and the PassThrough that fans its media out. */
interface Presenter {
  call: Call;
  pipeline: MediaPipeline;
  passThrough: MediaElement;
}

/**
 * The server side of Kurento's hello-world (a WebRtcEndpoint connected to itself) and one2many tutorials
 * (a presenter whose media a PassThrough fans out to viewers), written against the real npm kurento-client.
 */
export class TutorialCalls {
  readonly calls: Call[] = [];
  private client: Promise<KurentoClient> | undefined;
  private presenter: Presenter | undefined;
  private readonly kmsUrl: string;

  constructor(kmsUrl: string) {
    this.kmsUrl = kmsUrl;
  }

  open(send: (message: AppMessage) => void): Call {
    const created = new Call(send);
    this.calls.push(created);
    return created;
  }

  /** Handles one page message; the answer goes back through the call's `send`. */
  async handle(target: Call, message: PageMessage, send: (message: AppMessage) => void): Promise<void> {
    if (message.id === 'onIceCandidate') return target.addCandidate(message.candidate);
    if (message.id === 'stop') return target.release();
    const responseId =
      message.id === 'negotiate' || message.id === 'start' ? 'startResponse' : `${message.id}Response`;
    try {
      const sdpAnswer = await this.answer(target, message);
      send({ id: responseId as 'startResponse', response: 'accepted', sdpAnswer });
    } catch (error) {
      send({ id: responseId as 'startResponse', response: 'rejected', message: (error as Error).message });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.calls.map((c) => c.release()));
    if (this.client) (await this.client).close();
  }

  private async answer(target: Call, message: Extract<PageMessage, { sdpOffer: string }>): Promise<string> {
    if (message.id === 'viewer') {
      const presenter = this.presenter;
      if (!presenter) throw new Error('No active presenter. Try again later...');
      await target.createEndpoint(presenter.pipeline, false);
      const answer = await target.negotiate(message.sdpOffer);
      const viewer = target.endpoint as WebRtcEndpoint;
      await kurentoCall<void>((cb) => presenter.passThrough.connect(viewer, cb));
      return answer;
    }
    const client = await this.kurento();
    const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    target.pipeline = pipeline;
    const endpoint = await target.createEndpoint(pipeline, message.useDataChannels === true);
    if (message.id === 'start') await kurentoCall<void>((cb) => endpoint.connect(endpoint, cb));
    if (message.id === 'presenter') {
      const passThrough = await kurentoCall<MediaElement>((cb) => pipeline.create('PassThrough', cb));
      await kurentoCall<void>((cb) => endpoint.connect(passThrough, cb));
      this.presenter = { call: target, pipeline, passThrough };
    }
    return target.negotiate(message.sdpOffer);
  }

  private kurento(): Promise<KurentoClient> {
    // The client is a thenable that resolves once its socket is open.
    this.client ??= Promise.resolve(createKurentoClient(this.kmsUrl));
    return this.client;
  }
}
