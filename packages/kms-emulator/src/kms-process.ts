import { randomUUID } from 'node:crypto';
import {
  errorResponse,
  eventNotification,
  injectSessionId,
  type Json,
  type JsonObject,
  parseError,
  type RpcResponse,
  responseSessionId,
  stringifySorted,
} from '@kurento-fleet/kurento-protocol';
import { type FabricContext, MediaEngine, type MediaFabric } from './endpoints/engine';
import { type LoadOverride, modelledCpuPercent, modelledMemoryKiB } from './load';
import type { OperationTable, ServerContext } from './objects/invoke';
import type { TypeRegistry } from './objects/kmd';
import { MediaSet } from './objects/media-set';
import { PROPERTY_DEFAULTS } from './objects/operations/defaults';
import { mediaElementOperations } from './objects/operations/media-element';
import { mediaObjectOperations } from './objects/operations/media-object';
import { sdpEndpointOperations } from './objects/operations/sdp-endpoints';
import { uriEndpointOperations } from './objects/operations/uri-endpoints';
import type { RpcContext } from './rpc/context';
import { processRequest } from './rpc/processor';
import { createDtlsCertificate } from './sdp/certificate';
import { buildServerInfo, serverManagerOperations } from './server-manager';
import { SessionLinks } from './sessions';

/** A socket as the KMS process sees it. */
export interface Peer {
  readonly isOpen: boolean;
  send(text: string): void;
}

/** When an onEvent goes out relative to the response of the request that raised it (§1: either). */
export type EventTiming = 'after-response' | 'before-response' | 'random';

/** Settings the emulator may change while a process runs; they survive restarts. */
export interface ProcessSettings {
  load: LoadOverride;
  objectLimit: number | undefined;
  eventTiming: EventTiming;
}

/** What a KMS process is started with. */
export interface ProcessOptions {
  registry: TypeRegistry;
  cpuCount: number;
  metadata: string;
  settings: ProcessSettings;
  now: () => number;
  /** The interface the emulator listens on (signalling-only candidates and RtpEndpoint answers name it). */
  host: string;
  /** Media mode: builds the fabric that runs real WebRTC behind the endpoints. */
  fabric?: (context: FabricContext) => MediaFabric;
}

const HANDLERS: OperationTable = {
  ...mediaObjectOperations,
  ...mediaElementOperations,
  ...uriEndpointOperations,
  ...sdpEndpointOperations,
  ...serverManagerOperations,
};

/**
 * One run of a KMS process: its serverId, objects, sessions and socket links. A restart replaces the
 * whole thing, which is exactly what a real crash loses.
 */
export class KmsProcess {
  readonly serverId = randomUUID();
  readonly set: MediaSet;
  readonly links = new SessionLinks<Peer>();
  readonly engine: MediaEngine;
  private readonly settings: ProcessSettings;
  private readonly context: RpcContext;

  constructor(options: ProcessOptions) {
    const { registry, settings, host, now } = options;
    this.settings = settings;
    this.set = new MediaSet(registry, {
      deliver: (sessionId, value) => this.deliver(sessionId, value),
      now,
      destroyed: (object) => this.engine.destroyed(object),
    });
    const set = this.set;
    // KMS makes its default DTLS certificate once per process (CertificateManager).
    const certificate = createDtlsCertificate();
    // Even UDP ports from a random start, wrapping before the top of the range.
    let port = 40000 + 2 * Math.floor(Math.random() * 10000);
    const nextPort = () => (port = port >= 64998 ? 40000 : port + 2);
    this.engine = new MediaEngine(
      set,
      { events: set, fingerprint: certificate.fingerprint, address: host, nextPort },
      options.fabric?.({ events: set, certificate, now, host }),
    );
    const server: ServerContext = {
      serverInfo: buildServerInfo(registry),
      metadata: options.metadata,
      cpuCount: options.cpuCount,
      usedCpuPercent: () =>
        settings.load.cpuPercent ?? modelledCpuPercent(set.countsByType, options.cpuCount),
      usedMemoryKiB: () => settings.load.memoryKiB ?? modelledMemoryKiB(set.countsByType),
    };
    this.context = {
      serverId: this.serverId,
      set,
      server,
      engine: this.engine,
      handlers: HANDLERS,
      defaults: PROPERTY_DEFAULTS,
      objectLimit: () => settings.objectLimit,
      newSessionId: randomUUID,
    };
  }

  /** Handles one text frame: session injection, processing, linking, and the response (if any). */
  handleFrame(peer: Peer, text: string): void {
    let message: Json;
    try {
      message = JSON.parse(text) as Json;
    } catch {
      peer.send(stringifySorted(errorResponse(null, parseError())));
      return;
    }
    const linked = this.links.sessionOf(peer);
    if (linked !== undefined) injectSessionId(message, linked);
    const outcome = processRequest(message, this.context);
    if (outcome instanceof Promise) void outcome.then((response) => this.reply(peer, response));
    else this.reply(peer, outcome);
  }

  private reply(peer: Peer, response: RpcResponse | undefined): void {
    // A request still runs when its socket died meanwhile (a held or delayed frame); only the answer is lost.
    if (!response || !peer.isOpen) return;
    const sessionId = responseSessionId(response);
    if (sessionId !== undefined) this.links.link(peer, sessionId);
    peer.send(stringifySorted(response));
  }

  /** The socket closed: its session keeps its objects until the GC drops it. */
  disconnected(peer: Peer): void {
    this.links.unlink(peer);
  }

  /** The process dies: peers close, sockets and timers behind the endpoints stop. */
  shutdown(): void {
    this.engine.shutdown();
  }

  /** One GC pass; returns the sessions it dropped. */
  collectGarbage(): string[] {
    return this.set.collectGarbage(this.links.linkedSessions());
  }

  private deliver(sessionId: string, value: JsonObject): void {
    const peer = this.links.peerOf(sessionId);
    if (!peer) return;
    const text = stringifySorted(eventNotification(value));
    const timing = this.settings.eventTiming;
    const now = timing === 'before-response' || (timing === 'random' && Math.random() < 0.5);
    if (now) peer.send(text);
    else setImmediate(() => peer.send(text));
  }
}
