// The few browser APIs the test page uses, typed here: the repository compiles against Node's types only, and
// adding the DOM library would change the global types of every Node file.

export interface IceCandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export interface SessionDescriptionInit {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface MediaStreamTrack {
  readonly kind: string;
}

export interface MediaStream {
  getTracks(): MediaStreamTrack[];
}

export interface DataChannel {
  readonly readyState: string;
  onopen: (() => void) | null;
}

/** One entry of RTCPeerConnection.getStats(). */
export type Stat = { type: string; kind?: string; framesDecoded?: number; packetsReceived?: number };

export interface PeerConnection {
  readonly connectionState: string;
  onicecandidate:
    | ((event: { candidate: (IceCandidateInit & { toJSON(): IceCandidateInit }) | null }) => void)
    | null;
  onconnectionstatechange: (() => void) | null;
  addTrack(track: MediaStreamTrack, stream: MediaStream): unknown;
  addTransceiver(kind: string, init: { direction: string }): unknown;
  getTransceivers(): Array<{ direction: string }>;
  createDataChannel(label: string): DataChannel;
  createOffer(): Promise<SessionDescriptionInit>;
  setLocalDescription(description: SessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: SessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: IceCandidateInit): Promise<void>;
  getStats(): Promise<{ forEach(callback: (stat: Stat) => void): void }>;
  close(): void;
}

export interface BrowserSocket {
  onopen: (() => void) | null;
  onmessage: ((event: { data: string }) => void) | null;
  onerror: (() => void) | null;
  send(text: string): void;
  close(): void;
}

/** The globals of a page, as far as the test page needs them. */
export interface Browser {
  RTCPeerConnection: new () => PeerConnection;
  WebSocket: new (url: string) => BrowserSocket;
  navigator: {
    mediaDevices: { getUserMedia(constraints: { audio: boolean; video: boolean }): Promise<MediaStream> };
  };
  location: { host: string };
  performance: { now(): number };
  setTimeout(callback: () => void, ms: number): unknown;
}
