import type { FlowDirection } from '../endpoints/engine';
import type { EventSink } from '../objects/events';
import type { MediaObject } from '../objects/media-object';

/** A media kind as the packets carry it, and as KMS's MediaType names it. */
export type Kind = 'audio' | 'video';

export const MEDIA_TYPE: Readonly<Record<Kind, 'AUDIO' | 'VIDEO'>> = { audio: 'AUDIO', video: 'VIDEO' };

/** KMS checks every 2 s whether buffers passed since the last check (MEDIA_FLOW_INTERNAL_TIME_MSEC). */
export const FLOW_CHECK_MS = 2000;

interface Flow {
  flowing: boolean;
  /** Buffers seen since the last check. */
  buffers: number;
}

const EVENT: Readonly<Record<FlowDirection, string>> = {
  in: 'MediaFlowInStateChanged',
  out: 'MediaFlowOutStateChanged',
};

/**
 * MediaFlowIn/OutStateChanged as KmsElement raises them: FLOWING on the first buffer through a pad, NOT_FLOWING
 * when a periodic check finds no buffer since the previous one. Only the `default` pads carry media here.
 */
export class FlowMonitor {
  private readonly events: EventSink;
  private readonly flows = new Map<MediaObject, Map<string, Flow>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(events: EventSink) {
    this.events = events;
  }

  /** A buffer of `kind` passed through `object` in `direction`. */
  mark(object: MediaObject, direction: FlowDirection, kind: Kind): void {
    let byKey = this.flows.get(object);
    if (!byKey) {
      byKey = new Map();
      this.flows.set(object, byKey);
    }
    const key = `${direction}:${kind}`;
    let flow = byKey.get(key);
    if (!flow) {
      flow = { flowing: false, buffers: 0 };
      byKey.set(key, flow);
    }
    flow.buffers += 1;
    if (!flow.flowing) {
      flow.flowing = true;
      this.raise(object, direction, kind, 'FLOWING');
      this.startTimer();
    }
  }

  isFlowing(object: MediaObject, direction: FlowDirection, kind: Kind): boolean {
    return this.flows.get(object)?.get(`${direction}:${kind}`)?.flowing ?? false;
  }

  /** One periodic check (exposed for tests that step time). */
  check(): void {
    for (const [object, byKey] of this.flows) {
      for (const [key, flow] of byKey) {
        if (flow.flowing && flow.buffers === 0) {
          flow.flowing = false;
          const [direction, kind] = key.split(':') as [FlowDirection, Kind];
          this.raise(object, direction, kind, 'NOT_FLOWING');
        }
        flow.buffers = 0;
      }
    }
  }

  forget(object: MediaObject): void {
    this.flows.delete(object);
    if (this.flows.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), FLOW_CHECK_MS);
    this.timer.unref();
  }

  private raise(object: MediaObject, direction: FlowDirection, kind: Kind, state: string): void {
    this.events.emit(object, EVENT[direction], { mediaType: MEDIA_TYPE[kind], padName: 'default', state });
  }
}
