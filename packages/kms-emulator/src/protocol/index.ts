/**
 * @module @kurento-fleet/kms-emulator/protocol — the Kurento JSON-RPC wire rules (envelope checks, error codes
 * and messages, key order) on their own, so that the KMS gateway answers exactly as the emulator and KMS do.
 */

export { injectSessionId } from '../sessions';
export { isKurentoPath } from '../transport';
export * from './errors';
export * from './json';
export * from './jsonrpc';
export * from './params';
