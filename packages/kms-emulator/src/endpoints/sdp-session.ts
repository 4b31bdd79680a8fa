import { kurentoError } from '@kurento-fleet/kurento-protocol';
import type { EventSink } from '../objects/events';
import type { MediaObject } from '../objects/media-object';
import { parseSdp } from '../sdp/parse';
import { type IceCandidateInit, isUsableCandidate } from './ice';
import type { LocalDescription, Negotiator, OfferRequest } from './negotiator';

/** Runs `step`, mapping any failure to one Kurento error (KMS reports a failed GStreamer signal so). */
async function orFail<T>(step: () => T | Promise<T>, fail: () => Error): Promise<T> {
  try {
    return await step();
  } catch {
    throw fail();
  }
}

/**
 * The negotiation state of one SDP endpoint, with KMS's rules and errors (SdpEndpointImpl and
 * KmsWebrtcSession): one offer/answer exchange per endpoint, ICE candidates held until gathering starts.
 * The mode-specific work goes to the negotiator.
 */
export class SdpSession {
  private readonly object: MediaObject;
  private readonly events: EventSink;
  private readonly negotiator: Negotiator;
  // SdpEndpointImpl's three atomics.
  private offerInProcess = false;
  private waitingAnswer = false;
  private answerProcessed = false;
  private local: string | undefined;
  /** The port of each local m-line (0: rejected), for candidate checks. */
  private localPorts: readonly number[] = [];
  private remote: string | undefined;
  private gatherStarted = false;
  private gathering = false;
  private readonly remoteCandidates: IceCandidateInit[] = [];
  private closed = false;

  constructor(object: MediaObject, events: EventSink, negotiator: Negotiator) {
    this.object = object;
    this.events = events;
    this.negotiator = negotiator;
  }

  /** generateOffer: 40208 once the endpoint negotiated (or is negotiating), 40204 if no offer comes out. */
  async generateOffer(request: OfferRequest): Promise<string> {
    if (this.offerInProcess) throw alreadyNegotiated();
    this.offerInProcess = true;
    const offer = await orFail(
      () => this.negotiator.offer(request),
      () => {
        this.offerInProcess = false;
        return kurentoError('SDP_END_POINT_GENERATE_OFFER_ERROR', 'Error generating offer');
      },
    );
    this.setLocal(offer);
    this.waitingAnswer = true;
    return offer.sdp;
  }

  /** processOffer: 40201 for an empty or unparsable offer, then 40208, then 40205 if it cannot be answered. */
  async processOffer(offer: string): Promise<string> {
    const sdp = parseSdp(offer, 'offer');
    if (this.offerInProcess) throw alreadyNegotiated();
    this.offerInProcess = true;
    const answer = await orFail(
      () => this.negotiator.answer(sdp, offer),
      () => {
        this.offerInProcess = false;
        return kurentoError('SDP_END_POINT_PROCESS_OFFER_ERROR', 'Error processing offer');
      },
    );
    this.remote = offer;
    this.setLocal(answer);
    this.events.emit(this.object, 'MediaSessionStarted', {});
    return answer.sdp;
  }

  /**
   * processAnswer: 40201 for an empty answer, 40209 without a generated offer, 40201 if unparsable, 40210 for
   * a second answer, 40206 if it does not fit the offer. Returns the local description, as KMS does.
   */
  async processAnswer(answer: string): Promise<string> {
    if (answer === '') throw kurentoError('SDP_PARSE_ERROR', 'Empty answer not valid');
    if (!this.waitingAnswer) {
      throw kurentoError(
        'SDP_END_POINT_NOT_OFFER_GENERATED',
        'Offer not generated. It is not possible to process an answer.',
      );
    }
    const sdp = parseSdp(answer, 'answer');
    if (this.answerProcessed)
      throw kurentoError('SDP_END_POINT_ANSWER_ALREADY_PROCCESED', 'Sdp Answer already processed');
    // Set before the work, like KMS: a failed answer cannot be retried on the same endpoint.
    this.answerProcessed = true;
    await orFail(
      () => this.negotiator.applyAnswer(sdp, answer),
      () => kurentoError('SDP_END_POINT_PROCESS_ANSWER_ERROR', 'Error processing answer'),
    );
    this.remote = answer;
    this.events.emit(this.object, 'MediaSessionStarted', {});
    return this.localDescriptor();
  }

  /** getLocalSessionDescriptor: 40202 before any local SDP exists. */
  localDescriptor(): string {
    if (this.local === undefined) throw kurentoError('SDP_END_POINT_NO_LOCAL_SDP_ERROR', 'No local SDP');
    return this.local;
  }

  /** getRemoteSessionDescriptor: 40203 before a remote SDP was processed. */
  remoteDescriptor(): string {
    if (this.remote === undefined) throw kurentoError('SDP_END_POINT_NO_REMOTE_SDP_ERROR', 'No remote SDP');
    return this.remote;
  }

  /** gatherCandidates: gathering starts now, or as soon as the local SDP exists; asking twice changes nothing. */
  gatherCandidates(): void {
    this.gatherStarted = true;
    this.startGathering();
  }

  /**
   * addIceCandidate as KmsWebrtcSession takes it: an empty candidate is the end-of-candidates mark and a line
   * KMS cannot parse is dropped, both silently; a candidate is held until gathering started and the local
   * SDP exists; then one naming an m-line the local SDP does not have fails with 40401.
   */
  addIceCandidate(candidate: IceCandidateInit): void {
    if (candidate.candidate === '' || !isUsableCandidate(candidate.candidate)) return;
    this.remoteCandidates.push(candidate);
    if (this.gathering) this.applyCandidate(candidate, true);
  }

  /** Releases what the negotiator holds (sockets, timers). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.negotiator.close();
  }

  private setLocal(local: LocalDescription): void {
    this.local = local.sdp;
    this.localPorts = local.ports;
    this.startGathering();
  }

  private startGathering(): void {
    if (this.gathering || !this.gatherStarted || this.local === undefined || this.closed) return;
    this.gathering = true;
    this.negotiator.gather();
    // Candidates that came early go to the agent now; like KMS, a bad one is only logged at this point.
    for (const candidate of this.remoteCandidates) this.applyCandidate(candidate, false);
  }

  private applyCandidate(candidate: IceCandidateInit, report: boolean): void {
    const port = this.localPorts[candidate.sdpMLineIndex];
    if (port === undefined) {
      if (report) throw kurentoError('ICE_ADD_CANDIDATE_ERROR', 'Error adding candidate');
      return;
    }
    // A candidate for a rejected m-line is accepted and ignored.
    if (port !== 0) this.negotiator.addRemoteCandidate(candidate);
  }
}

function alreadyNegotiated(): Error {
  return kurentoError('SDP_END_POINT_ALREADY_NEGOTIATED', 'Endpoint already negotiated');
}
