import type { Json } from '@kurento-fleet/kurento-protocol';
import { kurentoError } from '@kurento-fleet/kurento-protocol';
import type { EventFields, EventSink } from './events';
import type { MediaConnection, MediaObject } from './media-object';
import { complexValue } from './values';

/** KMS names the default pad of every media type `default`. */
export const DEFAULT_DESCRIPTION = 'default';

/** connect/disconnect without a media type act on all three, one connection each (MediaElementImpl). */
export const ALL_MEDIA_TYPES = ['AUDIO', 'VIDEO', 'DATA'] as const;

function eventFields(connection: MediaConnection): EventFields {
  return {
    mediaType: connection.type,
    sink: connection.sink.id,
    sinkMediaDescription: connection.sinkDescription,
    sourceMediaDescription: connection.sourceDescription,
  };
}

/** Removes one connection from both ends and raises ElementDisconnected on the source. */
function drop(connection: MediaConnection, events: EventSink): void {
  const { source, sink } = connection;
  source.sinks = source.sinks?.filter((c) => c !== connection);
  sink.sources = sink.sources?.filter((c) => c !== connection);
  events.emit(source, 'ElementDisconnected', eventFields(connection));
}

/**
 * Connects `source` to `sink` for one media type. A sink pad takes one source: an existing connection into
 * the same sink pad is dropped first, as KMS does.
 */
export function connectOne(
  source: MediaObject,
  sink: MediaObject,
  type: string,
  sourceDescription: string,
  sinkDescription: string,
  events: EventSink,
): MediaConnection {
  if (source.pipeline !== sink.pipeline) {
    throw kurentoError('CONNECT_ERROR', 'Media elements do not share pipeline');
  }
  const previous = sink.sources?.find((c) => c.type === type && c.sinkDescription === sinkDescription);
  if (previous) drop(previous, events);
  const connection: MediaConnection = { source, sink, type, sourceDescription, sinkDescription };
  source.sinks ??= [];
  source.sinks.push(connection);
  sink.sources ??= [];
  sink.sources.push(connection);
  events.emit(source, 'ElementConnected', eventFields(connection));
  return connection;
}

/** Disconnects matching connections; a connection that does not exist is not an error. */
export function disconnectOne(
  source: MediaObject,
  sink: MediaObject,
  type: string,
  sourceDescription: string,
  sinkDescription: string,
  events: EventSink,
): void {
  const matching = source.sinks?.filter(
    (c) =>
      c.sink === sink &&
      c.type === type &&
      c.sourceDescription === sourceDescription &&
      c.sinkDescription === sinkDescription,
  );
  for (const connection of matching ?? []) drop(connection, events);
}

/** A released element loses every connection, both ways (MediaElementImpl::disconnectAll). */
export function disconnectAll(object: MediaObject, events: EventSink): void {
  for (const connection of [...(object.sinks ?? []), ...(object.sources ?? [])]) drop(connection, events);
  object.sinks = undefined;
  object.sources = undefined;
}

/** getSinkConnections/getSourceConnections: ElementConnectionData values, optionally filtered. */
export function connectionData(
  connections: readonly MediaConnection[] | undefined,
  mediaType: string | undefined,
  description: string | undefined,
  side: 'source' | 'sink',
): Json[] {
  return (connections ?? [])
    .filter((c) => mediaType === undefined || c.type === mediaType)
    .filter(
      (c) =>
        description === undefined ||
        (side === 'sink' ? c.sourceDescription : c.sinkDescription) === description,
    )
    .map((c) =>
      complexValue('ElementConnectionData', {
        sink: c.sink.id,
        sinkDescription: c.sinkDescription,
        source: c.source.id,
        sourceDescription: c.sourceDescription,
        type: c.type,
      }),
    );
}
