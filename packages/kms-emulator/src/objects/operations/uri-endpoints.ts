import type { Json } from '@kurento-fleet/kurento-protocol';
import type { OperationTable } from '../invoke';
import type { MediaObject } from '../media-object';
import type { MediaSet } from '../media-set';

function uriState(object: MediaObject, state: string, set: MediaSet, event?: string): Json {
  object.setProp('state', state);
  set.emit(object, 'UriEndpointStateChanged', { state });
  if (event) set.emit(object, event, {});
  return null;
}

/** URI endpoint states (player and recorder), enough for an application's happy path. */
export const uriEndpointOperations: OperationTable = {
  'UriEndpoint.pause': ({ object, set }) =>
    uriState(object, 'PAUSE', set, object.mediaClass.name === 'RecorderEndpoint' ? 'Paused' : undefined),
  'UriEndpoint.stop': ({ object, set }) =>
    uriState(object, 'STOP', set, object.mediaClass.name === 'RecorderEndpoint' ? 'Stopped' : undefined),
  'PlayerEndpoint.play': ({ object, set }) => uriState(object, 'START', set),
  'RecorderEndpoint.record': ({ object, set }) => uriState(object, 'START', set, 'Recording'),
  'RecorderEndpoint.stopAndWait': ({ object, set }) => uriState(object, 'STOP', set, 'Stopped'),
};
