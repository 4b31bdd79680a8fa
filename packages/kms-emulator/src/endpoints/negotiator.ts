import type { Direction, SessionDescription } from '../sdp/parse';
import type { IceCandidateInit } from './ice';

/** How an SDP endpoint was built (its constructor parameters) and what generateOffer asks for. */
export interface EndpointConfig {
  /** WebRtcEndpoint (ICE + DTLS-SRTP) or RtpEndpoint (plain RTP). */
  kind: 'webrtc' | 'rtp';
  useDataChannels: boolean;
  /** KMS's offer-dir: recvonly/sendonly when the endpoint was created so, else sendrecv. */
  offerDirection: Direction;
}

/** What generateOffer's OfferOptions select. */
export interface OfferRequest {
  audio: boolean;
  video: boolean;
}

/** A local SDP and the port of each of its m-lines (0 for a rejected one), which candidate checks need. */
export interface LocalDescription {
  sdp: string;
  ports: readonly number[];
}

/**
 * The mode-specific half of an SDP endpoint: signalling only (answers written from the offer, nothing behind
 * them) or media (a real WebRTC peer). The KMS state machine and its errors live in SdpSession, not here.
 */
export interface Negotiator {
  /** The local answer to a parsed offer; throwing makes processOffer fail with 40205. */
  answer(offer: SessionDescription, text: string): LocalDescription | Promise<LocalDescription>;
  /** The local offer; throwing makes generateOffer fail with 40204. */
  offer(request: OfferRequest): LocalDescription | Promise<LocalDescription>;
  /** Applies the remote answer to our offer; throwing makes processAnswer fail with 40206. */
  applyAnswer(answer: SessionDescription, text: string): void | Promise<void>;
  /**
   * Gathering may start: the application called gatherCandidates and the local SDP exists. The negotiator
   * raises IceCandidateFound for each local candidate, then IceGatheringDone.
   */
  gather(): void;
  /** A remote candidate KMS would hand to its ICE agent. */
  addRemoteCandidate(candidate: IceCandidateInit): void;
  /** The endpoint is released (or the process dies). */
  close(): void;
}
