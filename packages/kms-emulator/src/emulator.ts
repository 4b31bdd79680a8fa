import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import { Connection, type FrameTap } from './connection';
import type { FabricContext, MediaFabric } from './endpoints/engine';
import { type EventTiming, KmsProcess, type ProcessSettings } from './kms-process';
import type { LoadOverride } from './load';
import { kurentoRegistry } from './objects/kmd';
import { startGarbageCollector } from './sessions';
import { type Listener, listen } from './transport';

/** How to start an emulator. Everything is optional. */
export interface KmsEmulatorOptions {
  /** TCP port; 0 (the default) picks a free one, which is then kept across restarts. */
  port?: number;
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** getCpuCount's value; the machine's by default. */
  cpuCount?: number;
  /** getMetadata's value (KMS: the `metadata` section of its config); "" by default. */
  metadata?: string;
  /** Period of the session GC; KMS uses 240 s. 0 disables the timer (use `runGc()`). */
  gcIntervalMs?: number;
  /** Live media objects above which create fails with 40009 NOT_ENOUGH_RESOURCES; no limit by default. */
  objectLimit?: number;
  /** Fixed CPU/memory figures instead of the model that grows with the objects alive. */
  load?: LoadOverride;
  /** Delay before each request is processed, in ms. */
  delayMs?: number;
  /** Whether onEvent goes out before or after the response of the request that raised it. */
  eventTiming?: EventTiming;
  /** Called with every frame in and out. */
  onFrame?: FrameTap;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
  /**
   * Media mode: every WebRtcEndpoint is a real WebRTC peer (ICE, DTLS, SRTP) and RTP flows along connect(),
   * so a browser gets media back. Off by default: signalling only, which costs far less per endpoint.
   */
  media?: boolean;
}

/** What `snapshot()` reports: enough for a test or the demo to see the server's state at a glance. */
export interface KmsEmulatorSnapshot {
  up: boolean;
  serverId: string;
  stalled: boolean;
  delayMs: number;
  connections: number;
  connectionsAccepted: number;
  sessions: string[];
  objects: number;
  pipelines: Array<{ id: string; name: string; tags: Record<string, string>; children: number }>;
}

/** A running emulator and its fault controls. */
export interface KmsEmulator {
  /** `ws://host:port/kurento`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The current process's serverId (the last one while down); a new one after every (re)start. */
  readonly serverId: string;
  /** Shuts the emulator down for good: listener closed, sockets dropped, timers stopped. */
  stop(): Promise<void>;
  /** Drops every socket at once (no close handshake) but keeps all state, like a network failure. */
  dropConnections(): void;
  /** A stalled KMS accepts sockets but answers nothing; frames are held and processed when it resumes. */
  stall(on: boolean): void;
  /** The process dies: listener closed (connections refused), sockets dropped, all state lost. */
  kill(): Promise<void>;
  /** Starts a new process on the same port: new serverId, no objects, no sessions. */
  start(): Promise<void>;
  /** kill() then start(), optionally staying down `downMs` in between. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Delays every request by `ms` before it is processed (0 to stop). */
  setDelay(ms: number): void;
  /** Fixes the reported CPU and/or memory; `null` for a figure returns it to the model. */
  setLoad(load: LoadOverride): void;
  /** Sets or clears (undefined) the object limit that triggers NOT_ENOUGH_RESOURCES. */
  setObjectLimit(limit: number | undefined): void;
  /** Runs one GC pass now and returns the ids of the sessions it dropped. */
  runGc(): string[];
  snapshot(): KmsEmulatorSnapshot;
}

class Emulator implements KmsEmulator {
  readonly host: string;
  port: number;
  private readonly options: KmsEmulatorOptions;
  private readonly settings: ProcessSettings;
  private readonly connections = new Set<Connection>();
  private process: KmsProcess | undefined;
  private lastServerId = '';
  private listener: Listener | undefined;
  private gc: { stop(): void } | undefined;
  private stalled = false;
  private held: Array<() => void> = [];
  private delayMs: number;
  private accepted = 0;
  private fabric: ((context: FabricContext) => MediaFabric) | undefined;

  constructor(options: KmsEmulatorOptions) {
    this.options = options;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.delayMs = options.delayMs ?? 0;
    this.settings = {
      load: { ...options.load },
      objectLimit: options.objectLimit,
      eventTiming: options.eventTiming ?? 'after-response',
    };
  }

  get url(): string {
    return `ws://${this.host}:${this.port}/kurento`;
  }

  get serverId(): string {
    return this.process?.serverId ?? this.lastServerId;
  }

  async start(): Promise<void> {
    if (this.process) return;
    if (this.options.media && !this.fabric) {
      // Loaded on demand: the WebRTC stack costs ~35 MiB and ~0.2 s that signalling-only runs never pay.
      const { weriftFabric } = await import('./media/fabric');
      this.fabric = await weriftFabric();
    }
    const process = new KmsProcess({
      registry: kurentoRegistry(),
      cpuCount: this.options.cpuCount ?? availableParallelism(),
      metadata: this.options.metadata ?? '',
      settings: this.settings,
      now: this.options.now ?? Date.now,
      host: this.host,
      fabric: this.fabric,
    });
    this.process = process;
    try {
      this.listener = await listen(this.host, this.port, (socket) => this.accept(socket));
    } catch (error) {
      this.process = undefined;
      throw error;
    }
    this.port = this.listener.port;
    this.lastServerId = process.serverId;
    this.gc = startGarbageCollector(this.options.gcIntervalMs ?? 240_000, () => this.runGc());
  }

  async kill(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    this.process?.shutdown();
    this.process = undefined;
    this.gc?.stop();
    this.held = [];
    for (const connection of this.connections) connection.terminate();
    this.connections.clear();
    await listener.close();
  }

  stop(): Promise<void> {
    return this.kill();
  }

  async restart(options: { downMs?: number } = {}): Promise<void> {
    await this.kill();
    if (options.downMs) await sleep(options.downMs);
    await this.start();
  }

  dropConnections(): void {
    for (const connection of this.connections) connection.terminate();
  }

  stall(on: boolean): void {
    this.stalled = on;
    if (on) return;
    const held = this.held;
    this.held = [];
    for (const run of held) this.schedule(run);
  }

  setDelay(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  setLoad(load: LoadOverride): void {
    if (load.cpuPercent !== undefined) this.settings.load.cpuPercent = load.cpuPercent;
    if (load.memoryKiB !== undefined) this.settings.load.memoryKiB = load.memoryKiB;
  }

  setObjectLimit(limit: number | undefined): void {
    this.settings.objectLimit = limit;
  }

  runGc(): string[] {
    return this.process?.collectGarbage() ?? [];
  }

  snapshot(): KmsEmulatorSnapshot {
    const set = this.process?.set;
    return {
      up: this.process !== undefined,
      serverId: this.serverId,
      stalled: this.stalled,
      delayMs: this.delayMs,
      connections: this.connections.size,
      connectionsAccepted: this.accepted,
      sessions: set?.sessionIds() ?? [],
      objects: set?.objectCount ?? 0,
      pipelines: [...(set?.pipelineObjects() ?? [])].map((p) => ({
        id: p.id,
        name: p.name ?? p.id,
        tags: Object.fromEntries(p.tags ?? []),
        children: p.children?.size ?? 0,
      })),
    };
  }

  private accept(socket: WebSocket): void {
    const process = this.process;
    if (!process) {
      socket.terminate();
      return;
    }
    this.accepted += 1;
    const connection = new Connection(this.accepted, socket, this.options.onFrame);
    this.connections.add(connection);
    socket.on('message', (data) => {
      const text = data.toString();
      connection.received(text);
      const run = () => process.handleFrame(connection, text);
      if (this.stalled) this.held.push(run);
      else this.schedule(run);
    });
    socket.on('close', () => {
      this.connections.delete(connection);
      process.disconnected(connection);
    });
  }

  private schedule(run: () => void): void {
    if (this.delayMs > 0) setTimeout(run, this.delayMs);
    else run();
  }
}

/** Starts an emulator and resolves once it listens. */
export async function startKmsEmulator(options: KmsEmulatorOptions = {}): Promise<KmsEmulator> {
  const emulator = new Emulator(options);
  await emulator.start();
  return emulator;
}
