// The browser side of the test page, in the manner of the tutorials' index.js: it offers, sends its ICE
// candidates to the application, applies the answer and the application's candidates, and reports its state.
import type { Browser, DataChannel, PeerConnection } from './dom';
import type { AppMessage, PageMessage, PageState, Scenario } from './protocol';

const browser = globalThis as unknown as Browser & { kurentoTest?: unknown };

const state: PageState = {
  answerAccepted: false,
  error: undefined,
  localCandidates: 0,
  remoteCandidatesAdded: 0,
  connectionState: 'new',
  framesDecoded: 0,
  packetsReceived: 0,
  offer: undefined,
  answer: undefined,
  dataChannelState: undefined,
  connectedMs: undefined,
  firstFrameMs: undefined,
};

// How often the page looks for its first decoded frame: the precision of firstFrameMs.
const FRAME_POLL_MS = 20;

let pc: PeerConnection | undefined;
let channel: DataChannel | undefined;

function fail(message: string): void {
  state.error ??= message;
}

function open(): Promise<{
  send(message: PageMessage): void;
  onMessage(handler: (m: AppMessage) => void): void;
}> {
  const socket = new browser.WebSocket(`ws://${browser.location.host}/call`);
  return new Promise((resolve) => {
    socket.onerror = () => fail('signalling socket error');
    socket.onopen = () =>
      resolve({
        send: (message) => socket.send(JSON.stringify(message)),
        onMessage: (handler) => {
          socket.onmessage = (event) => handler(JSON.parse(event.data) as AppMessage);
        },
      });
  });
}

/** Counts inbound video frames decoded and inbound RTP packets. */
async function inbound(peer: PeerConnection): Promise<{ frames: number; packets: number }> {
  let frames = 0;
  let packets = 0;
  (await peer.getStats()).forEach((stat) => {
    if (stat.type !== 'inbound-rtp') return;
    packets += stat.packetsReceived ?? 0;
    if (stat.kind === 'video') frames += stat.framesDecoded ?? 0;
  });
  return { frames, packets };
}

/** Polls the stats until a first video frame is decoded, to time it. */
function watchFirstFrame(peer: PeerConnection, started: number): void {
  const poll = () => {
    void inbound(peer).then(({ frames }) => {
      if (frames > 0) state.firstFrameMs = browser.performance.now() - started;
      else if (peer.connectionState !== 'closed') browser.setTimeout(poll, FRAME_POLL_MS);
    });
  };
  poll();
}

async function run(scenario: Scenario): Promise<void> {
  const started = browser.performance.now();
  const signalling = await open();
  const peer = new browser.RTCPeerConnection();
  pc = peer;
  peer.onconnectionstatechange = () => {
    state.connectionState = peer.connectionState;
    if (peer.connectionState === 'connected') state.connectedMs ??= browser.performance.now() - started;
  };
  peer.onicecandidate = (event) => {
    if (!event.candidate) return;
    state.localCandidates += 1;
    const { candidate, sdpMid, sdpMLineIndex } = event.candidate.toJSON();
    signalling.send({ id: 'onIceCandidate', candidate: { candidate, sdpMid, sdpMLineIndex } });
  };
  if (scenario.recvonly) {
    peer.addTransceiver('audio', { direction: 'recvonly' });
    peer.addTransceiver('video', { direction: 'recvonly' });
  } else if (scenario.audio || scenario.video) {
    const stream = await browser.navigator.mediaDevices.getUserMedia({
      audio: scenario.audio,
      video: scenario.video,
    });
    for (const track of stream.getTracks()) peer.addTrack(track, stream);
    if (scenario.sendonly)
      for (const transceiver of peer.getTransceivers()) transceiver.direction = 'sendonly';
  }
  channel = scenario.dataChannel ? peer.createDataChannel('chat') : undefined;

  // Candidates that come before the answer wait for it, as RTCPeerConnection requires.
  const early: Array<() => Promise<void>> = [];
  signalling.onMessage((message) => {
    if (message.id === 'iceCandidate') {
      const add = () =>
        peer.addIceCandidate(message.candidate).then(
          () => {
            state.remoteCandidatesAdded += 1;
          },
          (error: Error) => fail(`addIceCandidate: ${error.message}`),
        );
      if (state.answerAccepted) void add();
      else early.push(add);
    } else if (message.id === 'error') {
      fail(`application: ${message.message}`);
    } else if (message.response === 'rejected') {
      fail(`${message.id}: ${message.message}`);
    } else {
      state.answer = message.sdpAnswer;
      peer.setRemoteDescription({ type: 'answer', sdp: message.sdpAnswer }).then(
        () => {
          state.answerAccepted = true;
          for (const add of early.splice(0)) void add();
        },
        (error: Error) => fail(`setRemoteDescription: ${error.message}`),
      );
    }
  });

  if (scenario.role === 'loopback' || scenario.role === 'viewer') watchFirstFrame(peer, started);
  const offer = await peer.createOffer();
  await peer.setLocalDescription(offer);
  state.offer = offer.sdp;
  const id = scenario.role === 'loopback' ? 'start' : scenario.role;
  const useDataChannels = scenario.endpointDataChannels ?? scenario.dataChannel === true;
  signalling.send({ id, sdpOffer: offer.sdp, useDataChannels });
}

/** The page's state, with fresh inbound media counts. */
async function read(): Promise<PageState> {
  if (pc) {
    const { frames, packets } = await inbound(pc);
    state.framesDecoded = frames;
    state.packetsReceived = packets;
  }
  state.dataChannelState = channel?.readyState;
  return { ...state };
}

browser.kurentoTest = {
  run: (scenario: Scenario) => run(scenario).catch((error: Error) => fail(error.message)),
  read,
};
