/**
 * @module @kurento-fleet/gateway — a KMS gateway: an unmodified Kurento application (OpenVidu CE, the
 * tutorials, any kurento-client app) talks to it as to one KMS, and gets the whole fleet. See docs/openvidu.md.
 */
export type { GatewayFleet, Placed, TopologyNode } from './fleet';
export { sdkFleet } from './fleet';
export { type Gateway, type GatewayOptions, serverIdOf, startGateway } from './gateway';
export { GatewayMetrics } from './metrics';
