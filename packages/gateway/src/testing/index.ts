/** @module @kurento-fleet/gateway/testing — doubles and fault tools for the gateway's tests. */
export { MemoryFleet } from './memory-fleet';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
