import type { Json } from '@kurento-fleet/kurento-protocol';

/**
 * Property values a fresh KMS 7.3 reports where a neutral 0/""/false would look wrong, keyed by
 * `<declaring class>.<property>`. The rest come from the property's type.
 */
export const PROPERTY_DEFAULTS: Readonly<Record<string, Json>> = {
  'MediaElement.encoderBitrate': 300000,
  'MediaElement.minEncoderBitrate': 0,
  'MediaElement.maxEncoderBitrate': 0,
  'BaseRtpEndpoint.minVideoRecvBandwidth': 0,
  'BaseRtpEndpoint.minVideoSendBandwidth': 100,
  'BaseRtpEndpoint.maxVideoSendBandwidth': 500,
  'BaseRtpEndpoint.mtu': 1200,
  'BaseRtpEndpoint.mediaState': 'DISCONNECTED',
  'BaseRtpEndpoint.connectionState': 'DISCONNECTED',
  'SdpEndpoint.maxAudioRecvBandwidth': 0,
  'SdpEndpoint.maxVideoRecvBandwidth': 0,
  'WebRtcEndpoint.iceTcp': true,
  'WebRtcEndpoint.stunServerPort': 3478,
  'UriEndpoint.state': 'STOP',
  'MediaPipeline.latencyStats': false,
};
