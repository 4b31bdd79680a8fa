// What the test page, the tutorial application and the tests say to each other. The messages between page
// and application are those of Kurento's hello-world and one2many tutorials (start/presenter/viewer,
// startResponse/presenterResponse/viewerResponse, onIceCandidate/iceCandidate, stop), plus `negotiate`, which
// only negotiates (for the SDP acceptance tests).

/** What one page does. */
export type Role = 'loopback' | 'presenter' | 'viewer' | 'negotiate';

export interface Scenario {
  role: Role;
  /** Send the fake microphone / camera (ignored when `recvonly`). */
  audio: boolean;
  video: boolean;
  /** Offer to receive audio and video only (a viewer's offer, kurento-utils' WebRtcPeerRecvonly). */
  recvonly?: boolean;
  /** Send without receiving (a presenter's offer, kurento-utils' WebRtcPeerSendonly). */
  sendonly?: boolean;
  /** Add a data channel to the offer. */
  dataChannel?: boolean;
  /** Whether the application creates the WebRtcEndpoint with useDataChannels; by default when the page offers a channel. */
  endpointDataChannels?: boolean;
}

/** The tutorial messages from the page. */
export type PageMessage =
  | { id: 'start' | 'presenter' | 'viewer' | 'negotiate'; sdpOffer: string; useDataChannels?: boolean }
  | {
      id: 'onIceCandidate';
      candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null };
    }
  | { id: 'stop' };

/** The tutorial messages from the application. */
export type AppMessage =
  | { id: 'startResponse' | 'presenterResponse' | 'viewerResponse'; response: 'accepted'; sdpAnswer: string }
  | { id: 'startResponse' | 'presenterResponse' | 'viewerResponse'; response: 'rejected'; message: string }
  | { id: 'iceCandidate'; candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number } }
  | { id: 'error'; message: string };

/** What a page reports to the test. */
export interface PageState {
  /** The answer passed setRemoteDescription. */
  answerAccepted: boolean;
  /** The first failure (a rejected answer, a refused candidate, an application error). */
  error: string | undefined;
  localCandidates: number;
  remoteCandidatesAdded: number;
  connectionState: string;
  /** Inbound video frames decoded, and inbound RTP packets of any kind. */
  framesDecoded: number;
  packetsReceived: number;
  /** The SDPs exchanged, once known. */
  offer: string | undefined;
  answer: string | undefined;
  /** The offer's data channel, if it has one: 'connecting', 'open', … */
  dataChannelState: string | undefined;
  /** Milliseconds from the start of the call to 'connected', and to the first decoded inbound video frame. */
  connectedMs: number | undefined;
  firstFrameMs: number | undefined;
}
