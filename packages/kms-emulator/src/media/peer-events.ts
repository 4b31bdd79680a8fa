import type * as Werift from 'werift';
import { type IceCandidateInit, iceCandidateValue } from '../endpoints/ice';
import type { EventFields, EventSink } from '../objects/events';
import type { MediaObject } from '../objects/media-object';
import { complexValue } from '../objects/values';

// With BUNDLE and rtcp-mux, KMS's libnice agent runs one stream (id 1) with one component (id 1).
const STREAM_ID = 1;
const COMPONENT_ID = 1;

// werift's ICE transport states → the IceComponentState sequence libnice goes through. A nominated pair is
// libnice's CONNECTED then READY at once; werift's early "completed" (its gathering ended) is not a state of
// the connection and is ignored.
const ICE_STATES: Readonly<Record<string, readonly string[]>> = {
  checking: ['CONNECTING'],
  connected: ['CONNECTED', 'READY'],
  failed: ['FAILED'],
  disconnected: ['DISCONNECTED'],
};

// werift's DTLS transport states → KMS's DtlsConnectionState.
const DTLS_STATE: Readonly<Record<string, string>> = {
  new: 'NEW',
  connecting: 'CONNECTING',
  connected: 'CONNECTED',
  failed: 'FAILED',
  closed: 'CLOSED',
};

/** KMS writes candidate lines with their `candidate:` prefix; werift's pair omits it. */
function candidateLine(text: string): string {
  return text.startsWith('candidate:') ? text : `candidate:${text}`;
}

/**
 * Turns a peer's real state changes into the events and read-only properties of a KMS 7.3 WebRtcEndpoint:
 * IceCandidateFound / IceGatheringDone (held until the application calls gatherCandidates, as KMS gathers
 * only then), IceComponentStateChanged, NewCandidatePairSelected, DtlsConnectionStateChange,
 * ConnectionStateChanged, MediaStateChanged, DataChannelOpened/Closed.
 */
export class PeerEvents {
  private readonly object: MediaObject;
  private readonly events: EventSink;
  private readonly announce: (candidate: IceCandidateInit) => boolean;
  private readonly candidates: IceCandidateInit[] = [];
  private gatheringComplete = false;
  private allowed = false;
  private doneSent = false;
  private connection = 'DISCONNECTED';
  private media = 'DISCONNECTED';
  private pairSelected = false;
  // ICE states that came before gatherCandidates (werift starts checking as soon as it answers; libnice
  // only once gathering starts): raised after GATHERING, in order.
  private readonly heldIceStates: string[] = [];
  private isClosed = false;

  constructor(object: MediaObject, events: EventSink, announce: (candidate: IceCandidateInit) => boolean) {
    this.object = object;
    this.events = events;
    this.announce = announce;
  }

  watch(pc: Werift.RTCPeerConnection): void {
    pc.onIceCandidate.subscribe((candidate) => {
      if (!candidate) this.gatheringComplete = true;
      else if (candidate.candidate) {
        this.candidates.push({
          candidate: candidate.candidate,
          sdpMid: String(candidate.sdpMid ?? '0'),
          sdpMLineIndex: candidate.sdpMLineIndex ?? 0,
        });
      }
      this.flush();
    });
    pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') this.gatheringComplete = true;
      this.flush();
    });
    pc.iceConnectionStateChange.subscribe((state) => this.iceState(pc, state));
    pc.connectionStateChange.subscribe((state) => this.connectionState(pc, state));
    pc.onDataChannel.subscribe((channel) => {
      this.emit('DataChannelOpened', { channelId: channel.id });
      channel.stateChanged.subscribe((state) => {
        if (state === 'closed') this.emit('DataChannelClosed', { channelId: channel.id });
      });
    });
  }

  /** gatherCandidates was called and the local SDP exists: candidates may go out. */
  gatheringAllowed(): void {
    if (this.allowed) return;
    this.allowed = true;
    this.iceComponent('GATHERING');
    this.flush();
    for (const state of this.heldIceStates.splice(0)) this.iceComponent(state);
  }

  /** The first RTP from the remote peer: its RTP session is alive (KMS: an SSRC became active). */
  mediaArrived(): void {
    this.setMedia('CONNECTED');
  }

  /** The endpoint is released: nothing more is raised. */
  closed(): void {
    this.isClosed = true;
  }

  private flush(): void {
    if (!this.allowed || this.isClosed) return;
    for (const candidate of this.candidates.splice(0)) {
      if (this.announce(candidate))
        this.emit('IceCandidateFound', { candidate: iceCandidateValue(candidate) });
    }
    if (this.gatheringComplete && !this.doneSent) {
      this.doneSent = true;
      this.emit('IceGatheringDone', {});
    }
  }

  private iceState(pc: Werift.RTCPeerConnection, state: string): void {
    for (const kms of ICE_STATES[state] ?? []) {
      if (this.allowed) this.iceComponent(kms);
      else this.heldIceStates.push(kms);
    }
    if (state === 'connected' && !this.pairSelected) this.selectPair(pc);
  }

  private iceComponent(state: string): void {
    this.object.setProp('IceConnectionState', [
      complexValue('IceConnection', { streamId: String(STREAM_ID), componentId: COMPONENT_ID, state }),
    ]);
    this.emit('IceComponentStateChanged', { streamId: STREAM_ID, componentId: COMPONENT_ID, state });
  }

  private selectPair(pc: Werift.RTCPeerConnection): void {
    const pair = pc.iceTransports[0]?.getSelectedCandidatePair();
    if (!pair) return;
    this.pairSelected = true;
    const candidatePair = complexValue('IceCandidatePair', {
      streamId: String(STREAM_ID),
      componentId: COMPONENT_ID,
      localCandidate: candidateLine(pair.local.candidate),
      remoteCandidate: candidateLine(pair.remote.candidate),
    });
    this.object.setProp('ICECandidatePairs', [candidatePair]);
    this.emit('NewCandidatePairSelected', { candidatePair });
  }

  private connectionState(pc: Werift.RTCPeerConnection, state: string): void {
    const dtls = pc.dtlsTransports[0];
    const dtlsState = DTLS_STATE[state === 'disconnected' ? 'failed' : state];
    if (dtls && dtlsState) {
      this.object.setProp('DtlsConnectionState', [
        complexValue('DtlsConnection', {
          streamId: String(STREAM_ID),
          componentId: String(COMPONENT_ID),
          connectionId: dtls.id,
          state: dtlsState,
        }),
      ]);
      this.emit('DtlsConnectionStateChange', {
        streamId: String(STREAM_ID),
        componentId: String(COMPONENT_ID),
        connectionId: dtls.id,
        state: dtlsState,
      });
    }
    if (state === 'connected') this.setConnection('CONNECTED');
    else if (state === 'failed' || state === 'closed' || state === 'disconnected') {
      this.setConnection('DISCONNECTED');
      this.setMedia('DISCONNECTED');
    }
  }

  private setConnection(next: string): void {
    if (next === this.connection) return;
    const oldState = this.connection;
    this.connection = next;
    this.object.setProp('connectionState', next);
    this.emit('ConnectionStateChanged', { oldState, newState: next });
  }

  private setMedia(next: string): void {
    if (next === this.media) return;
    const oldState = this.media;
    this.media = next;
    this.object.setProp('mediaState', next);
    this.emit('MediaStateChanged', { oldState, newState: next });
  }

  private emit(type: string, fields: EventFields): void {
    if (!this.isClosed) this.events.emit(this.object, type, fields);
  }
}
