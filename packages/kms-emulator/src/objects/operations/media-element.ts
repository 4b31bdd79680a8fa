import type { Json } from '@kurento-fleet/kurento-protocol';
import type { FlowDirection } from '../../endpoints/engine';
import {
  ALL_MEDIA_TYPES,
  connectionData,
  connectOne,
  DEFAULT_DESCRIPTION,
  disconnectOne,
} from '../connections';
import type { OperationCall, OperationTable } from '../invoke';
import type { MediaObject } from '../media-object';
import { asString } from '../values';

function optional(value: Json | undefined): string | undefined {
  return value === undefined ? undefined : asString(value);
}

function link(call: OperationCall, connect: boolean): Json {
  const sink = call.refs.get('sink') as MediaObject;
  const mediaType = optional(call.params.mediaType);
  const sourceDescription = optional(call.params.sourceMediaDescription) ?? DEFAULT_DESCRIPTION;
  const sinkDescription = optional(call.params.sinkMediaDescription) ?? DEFAULT_DESCRIPTION;
  for (const type of mediaType === undefined ? ALL_MEDIA_TYPES : [mediaType]) {
    if (!connect) {
      disconnectOne(call.object, sink, type, sourceDescription, sinkDescription, call.set);
      continue;
    }
    const connection = connectOne(call.object, sink, type, sourceDescription, sinkDescription, call.set);
    call.engine.fabric?.connected(connection);
  }
  return null;
}

function flowing(call: OperationCall, direction: FlowDirection, descriptionParam: string): boolean {
  const { fabric } = call.engine;
  if (!fabric) return false;
  const description = optional(call.params[descriptionParam]) ?? DEFAULT_DESCRIPTION;
  return fabric.isFlowing(call.object, direction, asString(call.params.mediaType), description);
}

function dot(object: MediaObject): string {
  return `digraph pipeline {\n  label="${object.id}";\n}\n`;
}

/** MediaElement, MediaPipeline and Hub operations: media connections, stats and debugging output. */
export const mediaElementOperations: OperationTable = {
  'MediaElement.connect': (call) => link(call, true),
  'MediaElement.disconnect': (call) => link(call, false),
  'MediaElement.getSinkConnections': ({ object, params }) =>
    connectionData(object.sinks, optional(params.mediaType), optional(params.description), 'sink'),
  'MediaElement.getSourceConnections': ({ object, params }) =>
    connectionData(object.sources, optional(params.mediaType), optional(params.description), 'source'),
  // Media flows only in media mode; the emulator forwards packets and never transcodes.
  'MediaElement.isMediaFlowingIn': (call) => flowing(call, 'in', 'sinkMediaDescription'),
  'MediaElement.isMediaFlowingOut': (call) => flowing(call, 'out', 'sourceMediaDescription'),
  'MediaElement.isMediaTranscoding': () => false,
  'MediaElement.getStats': ({ object, engine, params }) =>
    engine.fabric ? engine.fabric.stats(object, optional(params.mediaType)) : {},
  'MediaElement.getGstreamerDot': ({ object }) => dot(object),
  'MediaPipeline.getGstreamerDot': ({ object }) => dot(object),
  'Hub.getGstreamerDot': ({ object }) => dot(object),
};
