import type { Json } from '../../protocol/json';
import type { OperationCall, OperationTable } from '../invoke';
import type { MediaObject } from '../media-object';
import type { MediaSet } from '../media-set';
import { complexValue } from '../values';

const LOCAL_SDP = 'localSessionDescriptor';
const REMOTE_SDP = 'remoteSessionDescriptor';

/** A plausible SDP for an endpoint; the session id is derived from the object id so it stays stable. */
function sdp(object: MediaObject, kind: 'offer' | 'answer'): string {
  const sessionId = Number.parseInt(object.id.replace(/[^0-9]/g, '').slice(-9) || '1', 10);
  const setup = kind === 'offer' ? 'actpass' : 'active';
  const media = ['audio 9 UDP/TLS/RTP/SAVPF 111', 'video 9 UDP/TLS/RTP/SAVPF 96'];
  return [
    'v=0',
    `o=- ${sessionId} ${sessionId} IN IP4 0.0.0.0`,
    's=Kurento Media Server',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    ...media.flatMap((m, i) => [`m=${m}`, `a=mid:${i}`, `a=setup:${setup}`, 'a=sendrecv', 'a=rtcp-mux']),
    '',
  ].join('\r\n');
}

function negotiate(call: OperationCall, kind: 'offer' | 'answer', remote?: Json): string {
  const local = sdp(call.object, kind);
  call.object.setProp(LOCAL_SDP, local);
  if (remote !== undefined) call.object.setProp(REMOTE_SDP, remote);
  return local;
}

function uriState(object: MediaObject, state: string, set: MediaSet, event?: string): Json {
  object.setProp('state', state);
  set.emit(object, 'UriEndpointStateChanged', { state });
  if (event) set.emit(object, event, {});
  return null;
}

function candidate(index: number): Json {
  const port = 40000 + index * 2;
  return complexValue('IceCandidate', {
    candidate: `candidate:${index + 1} 1 UDP 2015363327 127.0.0.1 ${port} typ host`,
    sdpMLineIndex: 0,
    sdpMid: '0',
  });
}

/** SDP negotiation, ICE gathering and URI endpoint states, enough for an application's happy path. */
export const endpointOperations: OperationTable = {
  'SdpEndpoint.generateOffer': (call) => negotiate(call, 'offer'),
  'SdpEndpoint.processOffer': (call) => negotiate(call, 'answer', call.params.offer),
  'SdpEndpoint.processAnswer': (call) => {
    call.object.setProp(REMOTE_SDP, call.params.answer ?? '');
    return call.object.getProp(LOCAL_SDP) ?? '';
  },
  'SdpEndpoint.getLocalSessionDescriptor': ({ object }) => object.getProp(LOCAL_SDP) ?? '',
  'SdpEndpoint.getRemoteSessionDescriptor': ({ object }) => object.getProp(REMOTE_SDP) ?? '',
  'WebRtcEndpoint.gatherCandidates': ({ object, set }) => {
    for (const index of [0, 1]) set.emit(object, 'IceCandidateFound', { candidate: candidate(index) });
    set.emit(object, 'IceGatheringDone', {});
    return null;
  },
  'UriEndpoint.pause': ({ object, set }) =>
    uriState(object, 'PAUSE', set, object.mediaClass.name === 'RecorderEndpoint' ? 'Paused' : undefined),
  'UriEndpoint.stop': ({ object, set }) =>
    uriState(object, 'STOP', set, object.mediaClass.name === 'RecorderEndpoint' ? 'Stopped' : undefined),
  'PlayerEndpoint.play': ({ object, set }) => uriState(object, 'START', set),
  'RecorderEndpoint.record': ({ object, set }) => uriState(object, 'START', set, 'Recording'),
  'RecorderEndpoint.stopAndWait': ({ object, set }) => uriState(object, 'STOP', set, 'Stopped'),
};
