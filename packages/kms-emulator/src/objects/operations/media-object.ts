import { kurentoError } from '@kurento-fleet/kurento-protocol';
import type { OperationTable } from '../invoke';
import { asString, tagList } from '../values';

/** MediaObject operations every object inherits: identity, hierarchy, name and tags (§6). */
export const mediaObjectOperations: OperationTable = {
  'MediaObject.getId': ({ object }) => object.id,
  'MediaObject.getMediaPipeline': ({ object }) => object.pipeline?.id ?? null,
  'MediaObject.getParent': ({ object }) => object.parent?.id ?? null,
  'MediaObject.getChildren': ({ object }) => [...(object.children ?? [])].map((child) => child.id),
  // The name defaults to the id (MediaObjectImpl::getName).
  'MediaObject.getName': ({ object }) => object.name ?? object.id,
  'MediaObject.setName': ({ object, params }) => {
    object.name = asString(params.name);
    return null;
  },
  'MediaObject.getCreationTime': ({ object }) => object.creationTime,
  'MediaObject.getSendTagsInEvents': ({ object }) => object.sendTagsInEvents,
  'MediaObject.setSendTagsInEvents': ({ object, params }) => {
    object.sendTagsInEvents = Boolean(params.sendTagsInEvents);
    return null;
  },
  'MediaObject.addTag': ({ object, params }) => {
    object.tags ??= new Map();
    object.tags.set(asString(params.key), asString(params.value));
    return null;
  },
  'MediaObject.removeTag': ({ object, params }) => {
    object.tags?.delete(asString(params.key));
    return null;
  },
  'MediaObject.getTag': ({ object, params }) => {
    const value = object.tags?.get(asString(params.key));
    if (value === undefined) throw kurentoError('MEDIA_OBJECT_TAG_KEY_NOT_FOUND', 'Tag key not found');
    return value;
  },
  'MediaObject.getTags': ({ object }) => tagList(object),
};
