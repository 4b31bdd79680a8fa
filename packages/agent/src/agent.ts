import type { BackoffPolicy } from '@kurento-fleet/kurento';
import { errorMessage, jsonLogger, type Logger } from '@kurento-fleet/log';
import { type Clock, realClock } from './clock';
import type { ConnectKms, KmsConnection } from './kms-connection';
import { connectKurento } from './kurento-connection';
import { type Reporter, type ReporterStatus, startReporter } from './reporter';
import { AGENT_VERSION } from './version';
import { type KmsState, startWatcher, type Watcher, type WatcherUpdate } from './watcher';

/** One KMS watched by the agent, and the node it is registered as. */
export interface AgentNode {
  nodeId: string;
  /** The node's agent token (from `POST /v1/nodes`). */
  agentToken: string;
  /** `ws://host:8888/kurento`. */
  kmsUri: string;
}

/** Options of `startAgent`. Only `fleetUrl` and `nodes` are required. */
export interface AgentOptions {
  /** The control plane's base URL. */
  fleetUrl: string;
  nodes: AgentNode[];
  /** Time between probes of each KMS; 1000 ms by default. */
  probeIntervalMs?: number;
  /** A probe not finished by then marks the KMS down; 1500 ms by default. */
  probeDeadlineMs?: number;
  /** getUsedCpu's sampling window; must be below the deadline; 300 ms by default. */
  cpuSampleMs?: number;
  /** A heartbeat unanswered after this long is a failure; 3000 ms by default. */
  heartbeatTimeoutMs?: number;
  /** Retry delays of heartbeats; 250 ms doubling to 5 s by default. */
  backoff?: BackoffPolicy;
  /** JSON lines on stdout by default. */
  log?: Logger;
  clock?: Clock;
  /** Makes a KMS connection; the real kurento-client one by default. */
  connect?: ConnectKms;
  fetch?: typeof fetch;
}

/** One node as the agent sees it: its KMS and its heartbeats. */
export interface AgentNodeState {
  nodeId: string;
  kmsUri: string;
  kms: KmsState;
  heartbeat: ReporterStatus;
}

/** A running agent. */
export interface Agent {
  /** The state of one node, or undefined for a node the agent does not watch. */
  state(nodeId: string): AgentNodeState | undefined;
  states(): AgentNodeState[];
  /** Stops probing and reporting and closes the KMS connections. Idempotent. */
  stop(): Promise<void>;
}

interface Running {
  node: AgentNode;
  connection: KmsConnection;
  watcher: Watcher;
  reporter: Reporter;
}

/**
 * Starts watching each KMS and reporting it to the control plane: one persistent connection, one probe loop
 * and one heartbeat loop per node. Returns at once; a KMS that is down at start is reported down until it
 * appears. Throws only for bad options.
 */
export function startAgent(options: AgentOptions): Agent {
  const probeIntervalMs = options.probeIntervalMs ?? 1000;
  const probeDeadlineMs = options.probeDeadlineMs ?? 1500;
  const cpuSampleMs = options.cpuSampleMs ?? 300;
  checkOptions(options, probeIntervalMs, probeDeadlineMs, cpuSampleMs);
  const log = options.log ?? jsonLogger();
  const clock = options.clock ?? realClock;
  const agent = { version: AGENT_VERSION, startedAt: new Date(clock.now()).toISOString() };

  const running: Running[] = options.nodes.map((node) => {
    const nodeLog = log.with({ nodeId: node.nodeId });
    const connection = options.connect
      ? options.connect(node.kmsUri)
      : connectKurento(node.kmsUri, { clock, log: nodeLog, cpuSampleMs });
    const reporter = startReporter({
      fleetUrl: options.fleetUrl,
      nodeId: node.nodeId,
      agentToken: node.agentToken,
      agent,
      clock,
      log: nodeLog,
      fetch: options.fetch,
      requestTimeoutMs: options.heartbeatTimeoutMs,
      backoff: options.backoff,
    });
    const onUpdate = ({ state, transition, restarted }: WatcherUpdate) => {
      const up = state.status === 'up' && state.report !== undefined;
      reporter.update(
        up ? { connected: true, kms: state.report } : { connected: false },
        transition || restarted,
      );
    };
    const watcher = startWatcher({
      connection,
      clock,
      log: nodeLog,
      intervalMs: probeIntervalMs,
      deadlineMs: probeDeadlineMs,
      onUpdate,
    });
    return { node, connection, watcher, reporter };
  });

  log.info('agent started', {
    version: agent.version,
    fleetUrl: options.fleetUrl,
    nodes: options.nodes.map(({ nodeId, kmsUri }) => ({ nodeId, kmsUri })),
    probeIntervalMs,
    probeDeadlineMs,
  });

  const stateOf = ({ node, watcher, reporter }: Running): AgentNodeState => ({
    nodeId: node.nodeId,
    kmsUri: node.kmsUri,
    kms: watcher.state(),
    heartbeat: reporter.status(),
  });
  let stopping: Promise<void> | undefined;
  return {
    state: (nodeId) => {
      const found = running.find((entry) => entry.node.nodeId === nodeId);
      return found && stateOf(found);
    },
    states: () => running.map(stateOf),
    stop: () => {
      stopping ??= stopAll(running, log);
      return stopping;
    },
  };
}

async function stopAll(running: Running[], log: Logger): Promise<void> {
  await Promise.all(
    running.map(async ({ node, connection, watcher, reporter }) => {
      const results = await Promise.allSettled([watcher.stop(), reporter.stop()]);
      results.push(...(await Promise.allSettled([connection.close()])));
      for (const result of results) {
        if (result.status === 'rejected')
          log.error('error while stopping', { nodeId: node.nodeId, error: errorMessage(result.reason) });
      }
    }),
  );
  log.info('agent stopped');
}

function checkOptions(
  options: AgentOptions,
  intervalMs: number,
  deadlineMs: number,
  cpuSampleMs: number,
): void {
  if (options.nodes.length === 0) throw new Error('startAgent: no node to watch');
  const ids = new Set(options.nodes.map((node) => node.nodeId));
  if (ids.size !== options.nodes.length) throw new Error('startAgent: a node id appears twice');
  if (!(intervalMs > 0)) throw new Error('startAgent: probeIntervalMs must be positive');
  if (!(cpuSampleMs > 0 && cpuSampleMs < deadlineMs))
    throw new Error(
      'startAgent: cpuSampleMs must be positive and below probeDeadlineMs (the KMS sleeps that long)',
    );
  try {
    new URL(options.fleetUrl);
  } catch {
    throw new Error(`startAgent: fleetUrl is not a URL: ${options.fleetUrl}`);
  }
}
