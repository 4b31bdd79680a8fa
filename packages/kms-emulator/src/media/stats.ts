import type { Json, JsonObject } from '@kurento-fleet/kurento-protocol';
import { complexValue } from '../objects/values';

/** One statistic as a WebRTC stack reports it (W3C webrtc-stats names). */
export type WebRtcStat = { id: string; type: string; timestamp?: number } & Record<string, unknown>;

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

// W3C candidate-pair states → KMS's RTCStatsIceCandidatePairState (no hyphen, and "cancelled").
const PAIR_STATE: Readonly<Record<string, string>> = {
  frozen: 'frozen',
  waiting: 'waiting',
  'in-progress': 'inprogress',
  failed: 'failed',
  succeeded: 'succeeded',
};

function rtpStream(stat: WebRtcStat): JsonObject {
  return {
    ssrc: String(num(stat.ssrc)),
    associateStatsId: '',
    isRemote: false,
    mediaTrackId: '',
    transportId: str(stat.transportId),
    codecId: str(stat.codecId),
    firCount: num(stat.firCount),
    pliCount: num(stat.pliCount),
    nackCount: num(stat.nackCount),
    sliCount: 0,
    remb: 0,
  };
}

/**
 * getStats's value for a WebRtcEndpoint, shaped like KMS 7.3's (RTCInboundRTPStreamStats /
 * RTCOutboundRTPStreamStats keyed by id, plus the EndpointStats of the element), from the peer's W3C stats.
 * KMS 7.3 defines RTCIceCandidatePairStats but never fills it; the emulator adds the selected pair because
 * applications look for it.
 */
export function kmsStats(
  objectId: string,
  report: Iterable<WebRtcStat>,
  now: number,
  kind: 'audio' | 'video' | undefined,
): JsonObject {
  const stats = [...report];
  const byId = new Map(stats.map((s) => [s.id, s]));
  const out: JsonObject = {};
  const add = (type: string, id: string, fields: { [key: string]: Json }) => {
    out[id] = complexValue(type, { id, timestampMillis: now, ...fields });
  };
  for (const stat of stats) {
    if (
      kind !== undefined &&
      (stat.type === 'inbound-rtp' || stat.type === 'outbound-rtp') &&
      stat.kind !== kind
    ) {
      continue;
    }
    if (stat.type === 'inbound-rtp') {
      add('RTCInboundRTPStreamStats', stat.id, {
        type: 'inboundrtp',
        ...rtpStream(stat),
        packetsLost: num(stat.packetsLost),
        fractionLost: 0,
        packetsReceived: num(stat.packetsReceived),
        bytesReceived: num(stat.bytesReceived),
        jitter: num(stat.jitter),
      });
    } else if (stat.type === 'outbound-rtp') {
      const remote = byId.get(str(stat.remoteId));
      add('RTCOutboundRTPStreamStats', stat.id, {
        type: 'outboundrtp',
        ...rtpStream(stat),
        packetsLost: num(remote?.packetsLost),
        fractionLost: num(remote?.fractionLost),
        packetsSent: num(stat.packetsSent),
        bytesSent: num(stat.bytesSent),
        targetBitrate: num(stat.targetBitrate),
        roundTripTime: num(remote?.roundTripTime),
      });
    } else if (stat.type === 'candidate-pair' && stat.nominated === true) {
      add('RTCIceCandidatePairStats', stat.id, {
        type: 'candidatepair',
        transportId: str(stat.transportId),
        localCandidateId: str(stat.localCandidateId),
        remoteCandidateId: str(stat.remoteCandidateId),
        state: PAIR_STATE[str(stat.state)] ?? 'succeeded',
        priority: num(stat.priority),
        nominated: true,
        writable: stat.state === 'succeeded',
        readable: stat.state === 'succeeded',
        bytesSent: num(stat.bytesSent),
        bytesReceived: num(stat.bytesReceived),
        roundTripTime: num(stat.currentRoundTripTime),
        availableOutgoingBitrate: num(stat.availableOutgoingBitrate),
        availableIncomingBitrate: num(stat.availableIncomingBitrate),
      });
    }
  }
  add('EndpointStats', objectId, { type: 'endpoint', inputLatency: [], E2ELatency: [] });
  return out;
}
