/**
 * @module @kurento-fleet/kurento-protocol — the Kurento Media Server's JSON-RPC wire rules on their own:
 * envelope checks, error codes and messages, parameter types, key order, session id injection, and the
 * `/kurento` listener (path, frame size). The KMS emulator and the KMS gateway both answer by them, so the gateway speaks exactly as
 * KMS does (docs/kurento-protocol.md).
 */
export * from './errors';
export * from './json';
export * from './jsonrpc';
export * from './listen';
export * from './params';
export * from './path';
export * from './session-link';
