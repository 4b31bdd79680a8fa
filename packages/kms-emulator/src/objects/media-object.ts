import type { Json } from '@kurento-fleet/kurento-protocol';
import type { MediaClass } from './kmd';

/** One media connection between two elements, for one media type and pair of descriptions. */
export interface MediaConnection {
  readonly source: MediaObject;
  readonly sink: MediaObject;
  readonly type: string;
  readonly sourceDescription: string;
  readonly sinkDescription: string;
}

/** Subscribers of one event type: subscription ids per session (one handler per session, §3). */
export type EventSubscribers = Map<Session, Set<string>>;

/**
 * A live media object. Kept deliberately small, with optional state allocated on first use, because one
 * emulator holds tens of thousands of them.
 */
export class MediaObject {
  readonly id: string;
  readonly mediaClass: MediaClass;
  readonly parent: MediaObject | undefined;
  /** Epoch seconds, as getCreationTime returns it. */
  readonly creationTime: number;
  // The sessions holding a reference (KMS's reverseSessionMap). Nearly every object has exactly one, so a
  // Set is only made for the second: at 10,000 pipelines that saves a Set per object.
  private refs: Session | Set<Session> | undefined = undefined;
  children: Set<MediaObject> | undefined = undefined;
  name: string | undefined = undefined;
  tags: Map<string, string> | undefined = undefined;
  sendTagsInEvents = false;
  /** Property values set by the client or given to the constructor. */
  props: Map<string, Json> | undefined = undefined;
  subscriptions: Map<string, EventSubscribers> | undefined = undefined;
  sinks: MediaConnection[] | undefined = undefined;
  sources: MediaConnection[] | undefined = undefined;
  released = false;

  constructor(id: string, mediaClass: MediaClass, parent: MediaObject | undefined, creationTime: number) {
    this.id = id;
    this.mediaClass = mediaClass;
    this.parent = parent;
    this.creationTime = creationTime;
  }

  /** The pipeline this object belongs to (itself for a pipeline; none for the ServerManager). */
  get pipeline(): MediaObject | undefined {
    let current: MediaObject = this;
    while (current.parent) current = current.parent;
    return current.mediaClass.name === 'MediaPipeline' ? current : undefined;
  }

  /** How many sessions reference the object; it is released when none is left. */
  get sessionCount(): number {
    if (this.refs === undefined) return 0;
    return this.refs instanceof Set ? this.refs.size : 1;
  }

  /** The referencing sessions, as a copy that may be iterated while references change. */
  sessionList(): Session[] {
    if (this.refs === undefined) return [];
    return this.refs instanceof Set ? [...this.refs] : [this.refs];
  }

  addSession(session: Session): void {
    if (this.refs === undefined || this.refs === session) this.refs = session;
    else if (this.refs instanceof Set) this.refs.add(session);
    else this.refs = new Set([this.refs, session]);
  }

  removeSession(session: Session): void {
    if (this.refs === session) this.refs = undefined;
    else if (this.refs instanceof Set) {
      this.refs.delete(session);
      if (this.refs.size === 1) this.refs = this.refs.values().next().value;
    }
  }

  getProp(name: string): Json | undefined {
    return this.props?.get(name);
  }

  setProp(name: string, value: Json): void {
    this.props ??= new Map();
    this.props.set(name, value);
  }
}

/** A client session: the objects it references and whether it showed signs of life since the last GC pass. */
export class Session {
  readonly id: string;
  inUse = true;
  readonly objects = new Set<MediaObject>();

  constructor(id: string) {
    this.id = id;
  }
}
