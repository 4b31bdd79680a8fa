import type { Server, ServerOptions } from 'node:http';
import type { Config } from './env';

/**
 * The Node entry's connection limits (FLEET_HTTP_*), replacing Node's defaults (60 s for headers, 300 s for a
 * request, no cap on connections), under which a client that trickles its headers holds a connection for a
 * minute and enough of them exhaust memory and file descriptors. The defaults and their reasons are in env.ts.
 */
export function serverOptions(config: Config): ServerOptions {
  return {
    headersTimeout: config.FLEET_HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: config.FLEET_HTTP_REQUEST_TIMEOUT_MS,
    // Node checks the two timeouts above only this often (30 s by default, which would let a 10 s limit run to
    // 40 s): a quarter of the headers timeout, at most a second. A check walks the open connections, a few
    // microseconds each.
    connectionsCheckingInterval: Math.min(1000, Math.ceil(config.FLEET_HTTP_HEADERS_TIMEOUT_MS / 4)),
  };
}

/** The limits that are properties of the server rather than options of its constructor. */
export function applyServerLimits(server: Server, config: Config): void {
  server.keepAliveTimeout = config.FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS;
  // Beyond it, Node closes a new connection as soon as it is accepted: the clients already connected keep
  // being served, where running out of memory or descriptors would fail them all.
  server.maxConnections = config.FLEET_HTTP_MAX_CONNECTIONS;
}
