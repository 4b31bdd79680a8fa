import { isJsonObject, type Json, kurentoError } from '@kurento-fleet/kurento-protocol';
import type { OperationTable } from '../invoke';
import { asString } from '../values';

/** Json::Value::asInt for a value that passed an int check (booleans and numbers). */
function asInt(value: Json | undefined): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? Math.trunc(value) : 0;
}

function optionalInt(value: Json | undefined, fallback: number): number {
  return value === undefined || value === null ? fallback : asInt(value);
}

function dataChannelsSupported(useDataChannels: Json | undefined): void {
  if (useDataChannels !== true) {
    throw kurentoError('MEDIA_OBJECT_OPERATION_NOT_SUPPORTED', 'Data channels are not supported');
  }
}

/**
 * SdpEndpoint, BaseRtpEndpoint and WebRtcEndpoint operations: SDP negotiation and ICE with KMS's rules and
 * errors (see SdpSession), in signalling-only or media mode alike.
 */
export const sdpEndpointOperations: OperationTable = {
  'SdpEndpoint.generateOffer': ({ object, engine, params }) => {
    const options = isJsonObject(params.options) ? params.options : {};
    return engine.session(object).generateOffer({
      audio: options.offerToReceiveAudio !== false,
      video: options.offerToReceiveVideo !== false,
    });
  },
  'SdpEndpoint.processOffer': ({ object, engine, params }) =>
    engine.session(object).processOffer(asString(params.offer)),
  'SdpEndpoint.processAnswer': ({ object, engine, params }) =>
    engine.session(object).processAnswer(asString(params.answer)),
  'SdpEndpoint.getLocalSessionDescriptor': ({ object, engine }) => engine.session(object).localDescriptor(),
  'SdpEndpoint.getRemoteSessionDescriptor': ({ object, engine }) => engine.session(object).remoteDescriptor(),

  'WebRtcEndpoint.gatherCandidates': ({ object, engine }) => {
    engine.session(object).gatherCandidates();
    return null;
  },
  'WebRtcEndpoint.addIceCandidate': ({ object, engine, params }) => {
    const candidate = isJsonObject(params.candidate) ? params.candidate : {};
    engine.session(object).addIceCandidate({
      candidate: asString(candidate.candidate),
      sdpMid: asString(candidate.sdpMid),
      // KMS keeps the index in a guint8.
      sdpMLineIndex: asInt(candidate.sdpMLineIndex) & 0xff,
    });
    return null;
  },
  'WebRtcEndpoint.createDataChannel': ({ object, params }) => {
    dataChannelsSupported(object.getProp('useDataChannels'));
    // Less than 0 disables a limit; both limits at once are a syntax error (RTCDataChannel rules).
    const lifeTime = Math.max(-1, optionalInt(params.maxPacketLifeTime, -1));
    const retransmits = Math.max(-1, optionalInt(params.maxRetransmits, -1));
    if (lifeTime !== -1 && retransmits !== -1) {
      throw kurentoError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', 'Syntax error');
    }
    return null;
  },
  'WebRtcEndpoint.closeDataChannel': ({ object }) => {
    dataChannelsSupported(object.getProp('useDataChannels'));
    return null;
  },

  // Only a subscriber (an element fed video by another) can ask upstream for a keyframe.
  'BaseRtpEndpoint.requestKeyframe': ({ object, engine }) => {
    if (!object.sources?.some((c) => c.type === 'VIDEO')) {
      throw kurentoError(
        'MEDIA_OBJECT_OPERATION_NOT_SUPPORTED',
        'Keyframe request failed (must be requested from a subscriber element)',
      );
    }
    engine.fabric?.requestKeyframe(object);
    return null;
  },
};
