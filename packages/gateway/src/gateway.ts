import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '@kurento-fleet/log';
import { ClientConnection } from './client-connection';
import type { Core } from './core';
import { handleFrame } from './dispatch';
import { nodeHooks } from './failures';
import type { GatewayFleet } from './fleet';
import { FleetWrites } from './fleet-writes';
import { GatewayMetrics } from './metrics';
import { NodeRegistry } from './nodes';
import { temporaryKeyPrefix } from './placement';
import { RouteTable } from './routes';
import { listenGateway } from './server';
import { CONTROL_SESSION_PREFIX } from './server-manager';
import { SessionRegistry } from './sessions';

/** How to start a gateway. Everything but the fleet and the id has a default. */
export interface GatewayOptions {
  /** The control plane (through the SDK, with an app token: {@link sdkFleet}). */
  fleet: GatewayFleet;
  /** Unique per gateway: names its temporary placements and its KMS control sessions. 1..64 of [A-Za-z0-9._-]. */
  gatewayId: string;
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** 8888 by default, as KMS; 0 for a free one. */
  port?: number;
  /** How long a dropped KMS socket may take to come back before the node counts as failed. Default 500 ms. */
  graceMs?: number;
  /** A KMS that does not complete a handshake by then is unreachable. Default 3000 ms (OpenVidu's). */
  connectTimeoutMs?: number;
  /** WebSocket pings on each KMS's control connection, to see a dead link. Default 5000 ms. */
  pingIntervalMs?: number;
  /** How long a session with no application socket is kept, its frames buffered. Default 60 000 ms. */
  detachedSessionMs?: number;
  /** Frames buffered per session while it has no socket. Default 1000. */
  bufferFrames?: number;
  /** How often the fleet's topology is read. Default 5000 ms. */
  topologyRefreshMs?: number;
  /** Nodes a new pipeline may be tried on when the chosen KMS cannot be reached. Default 3. */
  placementAttempts?: number;
  log: Logger;
}

/** A running gateway. */
export interface Gateway {
  /** `ws://host:port/kurento`. */
  readonly url: string;
  readonly port: number;
  readonly metrics: GatewayMetrics;
  /** Closes every application socket cleanly (close frame 1001), then the KMS sockets. */
  stop(): Promise<void>;
}

/** A UUID derived from the gateway id: what `connect` reports as serverId, the same after a restart. */
export function serverIdOf(gatewayId: string): string {
  const hex = createHash('sha1').update(`kurento-fleet-gateway:${gatewayId}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Starts a KMS gateway: Kurento JSON-RPC on `ws://host:port/kurento` for unmodified applications, each new
 * pipeline placed through the fleet and every later request routed to its KMS. See docs/openvidu.md.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { fleet, gatewayId, log } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const bootPrefix = `${temporaryKeyPrefix(gatewayId)}${randomBytes(4).toString('hex')}~`;
  let core: Core | undefined;
  const nodes = new NodeRegistry(
    `${CONTROL_SESSION_PREFIX}${gatewayId}`,
    nodeHooks(() => core as Core),
    {
      connectTimeoutMs,
      graceMs: options.graceMs ?? 500,
      pingIntervalMs: options.pingIntervalMs ?? 5000,
    },
  );
  const routes = new RouteTable(fleet, (error) =>
    log.warn('the fleet could not look a pipeline up', { error }),
  );
  let metrics: GatewayMetrics | undefined;
  const sessions = new SessionRegistry(
    {
      detachedMs: options.detachedSessionMs ?? 60_000,
      bufferLimit: options.bufferFrames ?? 1000,
      dropped: () => metrics?.droppedFrame(),
    },
    (session) => ({
      connectTimeoutMs,
      deliver: (text) => session.deliver(text),
      reconnected: (nodeId) => metrics?.reconnected(nodeId),
    }),
    (session) => routes.forget(session),
  );
  const clients = new Set<ClientConnection>();
  const writes = new FleetWrites(fleet, log);
  metrics = new GatewayMetrics({
    clients: () => clients.size,
    virtualSessions: () => sessions.size,
    pipelinesByNode: () => routes.countsByNode(),
    nodesUp: () => new Map([...nodes.values()].map((node) => [node.id, node.state === 'up'])),
    pendingFleetWrites: () => writes.pending,
  });
  core = {
    settings: {
      gatewayId,
      serverId: serverIdOf(gatewayId),
      placementAttempts: options.placementAttempts ?? 3,
      temporaryKeyPrefix: bootPrefix,
    },
    fleet,
    writes,
    nodes,
    routes,
    sessions,
    metrics,
    log,
    restoring: new Map(),
  };
  const served = core;

  const leftovers = leftoverSweep(served, temporaryKeyPrefix(gatewayId), bootPrefix);
  const topology = startTopologyReads(served, options.topologyRefreshMs ?? 5000, connectTimeoutMs, () => {
    // The control plane answers: what waited for it goes now, and the sweep of leftovers, if it failed, again.
    writes.retryNow();
    leftovers.sweepOnce();
  });

  const listener = await listenGateway(options.host ?? '127.0.0.1', options.port ?? 8888, {
    socket(socket) {
      const client = new ClientConnection(socket);
      clients.add(client);
      socket.on('message', (data) => {
        void handleFrame(served, client, data.toString());
      });
      socket.on('close', () => {
        clients.delete(client);
        sessions.unlink(client);
      });
    },
    http(request, response) {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || (path !== '/metrics' && path !== '/healthz')) return false;
      if (path === '/healthz') {
        const up = nodes.up().length;
        response.writeHead(up > 0 ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: up > 0 ? 'ok' : 'no KMS reachable', nodesUp: up }));
        return true;
      }
      served.metrics.text().then(
        (text) => {
          response.writeHead(200, { 'content-type': served.metrics.registry.contentType });
          response.end(text);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(String(error));
        },
      );
      return true;
    },
  });
  const host = options.host ?? '127.0.0.1';
  return {
    url: `ws://${host}:${listener.port}/kurento`,
    port: listener.port,
    metrics,
    async stop() {
      topology.stop();
      await listener.close(2000);
      sessions.endAll();
      nodes.closeAll();
      // In memory only: the writes still waiting get a last chance; what is left is logged for the operator.
      if (!(await writes.flush(2000))) {
        log.error('stopped with writes the control plane never took', { pending: writes.pending });
      }
      log.info('gateway stopped');
    },
  };
}

/**
 * Reads the topology now and every `intervalMs`; the first read (or `startupWaitMs`) makes the nodes ready.
 * `answered` runs after each read that succeeded.
 */
function startTopologyReads(
  core: Core,
  intervalMs: number,
  startupWaitMs: number,
  answered: () => void,
): { stop(): void } {
  const read = () =>
    core.fleet.topology().then(
      (topology) => {
        core.nodes.apply(topology);
        answered();
      },
      (error: unknown) => core.log.warn('could not read the fleet topology', { error: String(error) }),
    );
  void read();
  const startup = setTimeout(() => core.nodes.markReady(), startupWaitMs * 2);
  const timer = setInterval(() => void read(), intervalMs);
  timer.unref();
  startup.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearTimeout(startup);
    },
  };
}

/**
 * Releases the temporary placements an earlier run of this gateway left (it stopped between a placement and
 * its rename), at start and, until one sweep has gone through (the control plane was away), on `sweepOnce`.
 * This run's own keys carry another boot prefix and are left alone.
 */
function leftoverSweep(core: Core, gatewayPrefix: string, bootPrefix: string): { sweepOnce(): void } {
  let done = false;
  let running = false;
  const sweep = async () => {
    if (done || running) return;
    running = true;
    let released = 0;
    try {
      for await (const sessionId of core.fleet.sessionIds()) {
        if (!sessionId.startsWith(gatewayPrefix) || sessionId.startsWith(bootPrefix)) continue;
        core.writes.release(sessionId);
        released += 1;
      }
      done = true;
    } catch (error) {
      core.log.warn('could not look for leftover placements', { error: String(error) });
    } finally {
      running = false;
    }
    if (released > 0) core.log.info('releasing leftover placements of an earlier run', { released });
  };
  void sweep();
  return { sweepOnce: () => void sweep() };
}
