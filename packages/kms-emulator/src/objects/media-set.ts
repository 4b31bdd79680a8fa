import { randomUUID } from 'node:crypto';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { invalidSession, kurentoError, objectNotFound } from '@kurento-fleet/kurento-protocol';
import { disconnectAll } from './connections';
import type { EventFields, EventSink } from './events';
import type { MediaClass, TypeRegistry } from './kmd';
import { MediaObject, Session } from './media-object';
import { tagList } from './values';

/** The id of the one ServerManager every KMS has. */
export const SERVER_MANAGER_ID = 'manager_ServerManager';

const NEW_REF = 'newref:';

/** What the object store needs from the outside: event delivery and a clock. */
export interface MediaSetHooks {
  /** Sends an onEvent value to the socket linked to a session, if there is one. */
  deliver(sessionId: string, value: JsonObject): void;
  /** Epoch milliseconds. */
  now(): number;
  /** An object was destroyed (after it lost its connections): whatever runs behind it must stop. */
  destroyed?(object: MediaObject): void;
}

/**
 * The objects and sessions of one KMS process, with KMS's reference counting (MediaSet.cpp): an object lives
 * while at least one session references it; referencing an object references its ancestors; releasing an
 * object unreferences it from every session, children first.
 */
export class MediaSet implements EventSink {
  readonly serverManager: MediaObject;
  readonly registry: TypeRegistry;
  private readonly hooks: MediaSetHooks;
  private readonly objects = new Map<string, MediaObject>();
  private readonly pipelines = new Map<string, MediaObject>();
  private readonly sessions = new Map<string, Session>();
  private readonly counts = new Map<string, number>();

  constructor(registry: TypeRegistry, hooks: MediaSetHooks) {
    this.registry = registry;
    this.hooks = hooks;
    const managerClass = registry.classes.get('ServerManager');
    if (!managerClass) throw new Error('kmd: core module has no ServerManager');
    this.serverManager = new MediaObject(SERVER_MANAGER_ID, managerClass, undefined, this.nowSeconds());
    this.objects.set(SERVER_MANAGER_ID, this.serverManager);
  }

  /** Media objects alive, the ServerManager excluded. */
  get objectCount(): number {
    return this.objects.size - 1;
  }

  /** Live objects per class name (feeds the CPU/memory model). */
  get countsByType(): ReadonlyMap<string, number> {
    return this.counts;
  }

  pipelineIds(): string[] {
    return [...this.pipelines.keys()];
  }

  pipelineObjects(): IterableIterator<MediaObject> {
    return this.pipelines.values();
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * MediaSet::getMediaObject: an object some session references (the ServerManager always qualifies).
   * A `newref:` id means the client used an object of an uncommitted transaction.
   */
  lookup(id: string): MediaObject {
    if (id.length > NEW_REF.length && id.startsWith(NEW_REF)) {
      throw kurentoError(
        'MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT',
        `Object '${id}' not found. Possibly using a transactional object without committing the transaction.`,
      );
    }
    const object = this.objects.get(id);
    if (!object || (object.sessionCount === 0 && object !== this.serverManager)) throw objectNotFound(id);
    return object;
  }

  /** MediaSet::getMediaObject(sessionId, id): describe, invoke and subscribe reference what they touch. */
  lookupFor(sessionId: string, id: string): MediaObject {
    const object = this.lookup(id);
    this.ref(sessionId, object);
    return object;
  }

  /** References an object (and its ancestors) into a session, creating the session if needed. */
  ref(sessionId: string, object: MediaObject): void {
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = new Session(sessionId);
      this.sessions.set(sessionId, session);
    }
    session.inUse = true;
    this.refInto(session, object);
  }

  private refInto(session: Session, object: MediaObject): void {
    if (object.parent) this.refInto(session, object.parent);
    session.objects.add(object);
    object.addSession(session);
  }

  /** Drops a session's reference to an object and its children; unknown ids are ignored, as KMS does. */
  unrefById(sessionId: string, id: string): void {
    let object: MediaObject;
    try {
      object = this.lookup(id);
    } catch {
      return;
    }
    const session = this.sessions.get(sessionId);
    if (session) this.unref(session, object);
  }

  private unref(session: Session, object: MediaObject): void {
    session.objects.delete(object);
    if (object.children) for (const child of [...object.children]) this.unref(session, child);
    object.removeSession(session);
    for (const subscribers of object.subscriptions?.values() ?? []) subscribers.delete(session);
    if (object.sessionCount === 0 && object !== this.serverManager && !object.released) this.destroy(object);
  }

  /** Releases an object from every session; unknown or already released ids are not an error (§3). */
  release(id: string): void {
    const object = this.objects.get(id);
    if (object) for (const session of object.sessionList()) this.unref(session, object);
  }

  /** keepAlive and connect with a known session; 40007 for a session KMS does not know (any more). */
  keepAlive(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) throw invalidSession();
    session.inUse = true;
  }

  /** Creates an object in a session; children are also referenced by every session of their parent. */
  create(
    mediaClass: MediaClass,
    sessionId: string,
    parent: MediaObject | undefined,
    props: JsonObject,
  ): MediaObject {
    const uuid = randomUUID();
    const id = parent
      ? `${parent.id}/${uuid}_kurento.${mediaClass.name}`
      : `${uuid}_kurento.${mediaClass.name}`;
    const object = new MediaObject(id, mediaClass, parent, this.nowSeconds());
    for (const [key, value] of Object.entries(props)) object.setProp(key, value);

    this.objects.set(id, object);
    if (mediaClass.name === 'MediaPipeline') this.pipelines.set(id, object);
    this.counts.set(mediaClass.name, (this.counts.get(mediaClass.name) ?? 0) + 1);
    if (parent) {
      parent.children ??= new Set();
      parent.children.add(object);
      for (const session of parent.sessionList()) this.refInto(session, object);
    }
    this.emit(this.serverManager, 'ObjectCreated', { object: id });
    this.ref(sessionId, object);
    return object;
  }

  private destroy(object: MediaObject): void {
    object.released = true;
    if (object.children) for (const child of [...object.children]) this.destroy(child);
    object.parent?.children?.delete(object);
    object.children = undefined;
    object.subscriptions = undefined;
    disconnectAll(object, this);
    this.hooks.destroyed?.(object);
    for (const session of object.sessionList()) {
      session.objects.delete(object);
      object.removeSession(session);
    }
    this.objects.delete(object.id);
    this.pipelines.delete(object.id);
    const count = (this.counts.get(object.mediaClass.name) ?? 1) - 1;
    if (count > 0) this.counts.set(object.mediaClass.name, count);
    else this.counts.delete(object.mediaClass.name);
    this.emit(this.serverManager, 'ObjectDestroyed', { objectId: object.id });
  }

  /** closeSession with release: releases every object the session references, from every session. */
  releaseSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) for (const object of [...session.objects]) if (!object.released) this.release(object.id);
    this.sessions.delete(sessionId);
  }

  /** closeSession without release, and the GC: drops the session's references only. */
  unrefSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    for (const object of [...session.objects]) if (!object.released) this.unref(session, object);
    this.sessions.delete(sessionId);
  }

  /**
   * One pass of the KMS garbage collector (every 240 s): a session not kept alive since the previous pass is
   * dropped. Sessions linked to an open socket count as alive, as the transport keeps them alive.
   */
  collectGarbage(linkedSessions: Iterable<string>): string[] {
    for (const id of linkedSessions) {
      const session = this.sessions.get(id);
      if (session) session.inUse = true;
    }
    const dropped: string[] = [];
    for (const session of [...this.sessions.values()]) {
      if (session.inUse) {
        session.inUse = false;
      } else {
        dropped.push(session.id);
        this.unrefSession(session.id);
      }
    }
    return dropped;
  }

  /** Registers a subscription; 40106 if the object's class has no such event. */
  subscribe(sessionId: string, object: MediaObject, type: string): string {
    if (!object.mediaClass.events.has(type)) {
      throw kurentoError('MEDIA_OBJECT_EVENT_NOT_SUPPORTED', `Event '${type}' not supported`);
    }
    const session = this.sessions.get(sessionId);
    if (!session) throw invalidSession();
    const subscriptionId = randomUUID();
    object.subscriptions ??= new Map();
    let subscribers = object.subscriptions.get(type);
    if (!subscribers) {
      subscribers = new Map();
      object.subscriptions.set(type, subscribers);
    }
    let ids = subscribers.get(session);
    if (!ids) {
      ids = new Set();
      subscribers.set(session, ids);
    }
    ids.add(subscriptionId);
    return subscriptionId;
  }

  /** Removes a subscription; unknown sessions, objects or ids are ignored (unsubscribe never fails). */
  unsubscribe(sessionId: string, objectId: string, subscriptionId: string): void {
    const object = this.objects.get(objectId);
    const session = this.sessions.get(sessionId);
    if (!object?.subscriptions || !session) return;
    for (const subscribers of object.subscriptions.values()) subscribers.get(session)?.delete(subscriptionId);
  }

  /**
   * Raises an event on an object: one onEvent per subscribed session, whatever its number of subscriptions.
   * `fields` are the event's own properties; the RaiseBase ones are added here.
   */
  emit(source: MediaObject, type: string, fields: EventFields): void {
    const subscribers = source.subscriptions?.get(type);
    if (!subscribers || subscribers.size === 0) return;
    const data: JsonObject = {
      ...fields,
      source: source.id,
      tags: source.sendTagsInEvents ? tagList(source) : [],
      timestampMillis: String(this.hooks.now()),
    };
    if (this.registry.isMediaEvent(type)) data.type = type;
    const value: JsonObject = { data, object: source.id, type };
    for (const [session, ids] of subscribers) if (ids.size > 0) this.hooks.deliver(session.id, value);
  }

  private nowSeconds(): number {
    return Math.floor(this.hooks.now() / 1000);
  }
}
