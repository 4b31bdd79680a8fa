import type { Json } from '../../protocol/json';
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

function link(call: OperationCall, apply: typeof connectOne): Json {
  const sink = call.refs.get('sink') as MediaObject;
  const mediaType = optional(call.params.mediaType);
  const sourceDescription = optional(call.params.sourceMediaDescription) ?? DEFAULT_DESCRIPTION;
  const sinkDescription = optional(call.params.sinkMediaDescription) ?? DEFAULT_DESCRIPTION;
  for (const type of mediaType === undefined ? ALL_MEDIA_TYPES : [mediaType]) {
    apply(call.object, sink, type, sourceDescription, sinkDescription, call.set);
  }
  return null;
}

function dot(object: MediaObject): string {
  return `digraph pipeline {\n  label="${object.id}";\n}\n`;
}

/** MediaElement, MediaPipeline and Hub operations: media connections, stats and debugging output. */
export const mediaElementOperations: OperationTable = {
  'MediaElement.connect': (call) => link(call, connectOne),
  'MediaElement.disconnect': (call) => link(call, disconnectOne),
  'MediaElement.getSinkConnections': ({ object, params }) =>
    connectionData(object.sinks, optional(params.mediaType), optional(params.description), 'sink'),
  'MediaElement.getSourceConnections': ({ object, params }) =>
    connectionData(object.sources, optional(params.mediaType), optional(params.description), 'source'),
  // No media flows through an emulator.
  'MediaElement.isMediaFlowingIn': () => false,
  'MediaElement.isMediaFlowingOut': () => false,
  'MediaElement.isMediaTranscoding': () => false,
  'MediaElement.getStats': () => ({}),
  'MediaElement.getGstreamerDot': ({ object }) => dot(object),
  'MediaPipeline.getGstreamerDot': ({ object }) => dot(object),
  'Hub.getGstreamerDot': ({ object }) => dot(object),
};
