import type { Json } from '@kurento-fleet/kurento-protocol';
import type { MediaObject } from './media-object';

/** The fields of an event beyond the RaiseBase ones (source, tags, timestampMillis), which the sink adds. */
export type EventFields = { [key: string]: Json };

/**
 * Raises events on objects. The object store implements it; the pieces that only raise events (media
 * connections, SDP negotiation, media flows) depend on this and not on the store, so nothing imports back.
 */
export interface EventSink {
  emit(source: MediaObject, type: string, fields: EventFields): void;
}
