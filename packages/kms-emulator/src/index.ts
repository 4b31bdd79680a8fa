export type { Json, JsonObject, RpcResponse } from '@kurento-fleet/kurento-protocol';
export type { FrameTap, WireFrame } from './connection';
export {
  type KmsEmulator,
  type KmsEmulatorOptions,
  type KmsEmulatorSnapshot,
  startKmsEmulator,
} from './emulator';
export type { EventTiming } from './kms-process';
export type { LoadOverride } from './load';
export { SERVER_MANAGER_ID } from './objects/media-set';
export { connectRawClient, type RawEvent, type RawKmsClient } from './raw-client';
