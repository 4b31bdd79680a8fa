import {
  closeKurentoClient,
  createKurentoClient,
  guardSubscriptionErrors,
  type KurentoClient,
  kurentoCall,
  type MediaPipeline,
  type ServerManager,
  type WebRtcEndpoint,
} from '@kurento-fleet/kurento';

/** The `Error` event of a pipeline (core.kmd's fields), as the gateway raises it when the pipeline's KMS is gone. */
export interface PipelineError {
  type: string;
  description: string;
  errorCode: number;
  /** Epoch ms as a string of digits, as KMS sends it. */
  timestampMillis: string;
}

/** One room of the application: a pipeline with a WebRtcEndpoint, as a one-to-one call or a small room has. */
export interface Room {
  name: string;
  pipelineId: string;
  /**
   * Set once the room is gone with its KMS: when, and how the application heard it (its pipeline's Error event,
   * or a call that failed while the room was being built).
   */
  lost?: { at: number; how: 'event' | 'build'; detail: string };
}

/**
 * The application side of the demo, written as a user's Node app server is: ONE kurento-client on ONE KMS URI
 * (the gateway's), a pipeline per room, and an `Error` listener on each pipeline to hear that its KMS died. It
 * knows nothing of the fleet; where each pipeline lands is the gateway's business.
 */
export class DemoApplication {
  private readonly client: KurentoClient;
  private readonly onLost: (room: Room) => void;

  private constructor(client: KurentoClient, onLost: (room: Room) => void) {
    this.client = client;
    this.onLost = onLost;
  }

  /**
   * Connects, and opens the client's KMS session before any room. Each request sent before the first answer
   * starts a session of its own, and the connection then delivers events only for the last one (KMS and the
   * gateway alike): rooms opened at once by a fresh client would never hear their pipeline's `Error`.
   * kurento-client's strict mode does this first call itself; the wrapper turns strict mode off.
   * `onLost` hears of each room whose KMS died, once.
   */
  static async connect(kmsUri: string, onLost: (room: Room) => void): Promise<DemoApplication> {
    const client = createKurentoClient(kmsUri);
    try {
      await kurentoCall<ServerManager>((cb) => client.getServerManager(cb));
    } catch (error) {
      closeKurentoClient(client);
      throw error;
    }
    return new DemoApplication(client, onLost);
  }

  /**
   * Builds a room. Rejects when its pipeline cannot be created: an error the application sees. A room whose
   * KMS dies while it is being built is returned lost (the listener hears of it too), not as an error.
   * `created` hears of the pipeline as soon as it exists (the demo asks the fleet where it went).
   */
  async openRoom(name: string, created: (pipelineId: string) => void = () => {}): Promise<Room> {
    const pipeline = await kurentoCall<MediaPipeline>((cb) => this.client.create('MediaPipeline', cb));
    const room: Room = { name, pipelineId: pipeline.id };
    created(pipeline.id);
    const lose = (how: 'event' | 'build', detail: string) => {
      if (room.lost) return;
      room.lost = { at: Date.now(), how, detail };
      this.onLost(room);
    };
    guardSubscriptionErrors(pipeline, (error) => lose('build', `subscribe Error failed, ${codeOf(error)}`));
    pipeline.on('Error', (event: PipelineError) => lose('event', `${event.type}, ${event.errorCode}`));
    try {
      await kurentoCall<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
    } catch (error) {
      // Calls in flight to a KMS that dies fail at once; the pipeline's Error event follows on the same socket.
      lose('build', `create WebRtcEndpoint failed, ${codeOf(error)}`);
    }
    return room;
  }

  /** Closes the connection at once (the gateway keeps the session for a while, as KMS does). */
  close(): void {
    closeKurentoClient(this.client);
  }
}

/** The Kurento error code of a failed call (40003: the KMS went away before answering), else what it was. */
const codeOf = (error: unknown) =>
  (error as { code?: number } | undefined)?.code ?? (error instanceof Error ? error.name : String(error));
