import type { Json, JsonObject } from '@kurento-fleet/kurento-protocol';
import {
  getString,
  kurentoError,
  optionalBoolean,
  optionalString,
  requireParams,
} from '@kurento-fleet/kurento-protocol';
import { invokeOperation, unmarshal } from '../objects/invoke';
import type { RpcContext, RpcMethod } from './context';

/** getOrCreateSessionId: the request's sessionId, or a new one (which only becomes a session once used). */
function sessionOf(params: JsonObject, context: RpcContext): string {
  return optionalString(params, 'sessionId') ?? context.newSessionId();
}

/** ping never fails and never creates a session; it echoes a sessionId it was given (or injected, §2). */
const ping: RpcMethod = (params) => {
  const sessionId = optionalString(params, 'sessionId');
  const result: JsonObject = { value: 'pong' };
  if (sessionId !== undefined) result.sessionId = sessionId;
  return result;
};

/** connect: a known session is kept alive (and relinked by the transport), an unknown one is 40007. */
const connect: RpcMethod = (params, context) => {
  const sessionId = params === null ? undefined : optionalString(params, 'sessionId');
  if (sessionId === undefined) return { serverId: context.serverId, sessionId: context.newSessionId() };
  context.set.keepAlive(sessionId);
  return { serverId: context.serverId, sessionId };
};

const describe: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const sessionId = sessionOf(p, context);
  const object = context.set.lookupFor(sessionId, getString(p, 'object'));
  const { mediaClass } = object;
  return {
    hierarchy: mediaClass.hierarchy,
    qualifiedType: mediaClass.qualifiedType,
    sessionId,
    type: mediaClass.name,
  };
};

const create: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const type = getString(p, 'type');
  const sessionId = sessionOf(p, context);
  const mediaClass = context.set.registry.factory(type);
  if (!mediaClass) throw kurentoError('MEDIA_OBJECT_NOT_AVAILABLE', `Factory '${type}' not found`);
  const limit = context.objectLimit();
  if (limit !== undefined && context.set.objectCount >= limit) {
    throw kurentoError('NOT_ENOUGH_RESOURCES', `Reached KMS threads limit: ${limit}`);
  }
  const { values, refs } = unmarshal(
    mediaClass.constructorParams,
    p.constructorParams,
    'constructorParams',
    context.set,
  );
  // The one remote-class constructor parameter (mediaPipeline, or hub for a HubPort) is the parent.
  const parent = refs.values().next().value;
  const props: JsonObject = {};
  for (const [key, value] of Object.entries(values)) if (!refs.has(key)) props[key] = value;
  const object = context.set.create(mediaClass, sessionId, parent, props);
  return { sessionId, value: object.id };
};

const invoke: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const operation = getString(p, 'operation');
  const objectId = getString(p, 'object');
  const sessionId = sessionOf(p, context);
  const object = context.set.lookupFor(sessionId, objectId);
  const value = invokeOperation(object, operation, p.operationParams, context);
  return value instanceof Promise ? value.then((v): Json => ({ sessionId, value: v })) : { sessionId, value };
};

const release: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const objectId = getString(p, 'object');
  const sessionId = sessionOf(p, context);
  context.set.release(objectId);
  return { sessionId };
};

const subscribe: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const type = getString(p, 'type');
  const objectId = getString(p, 'object');
  const sessionId = sessionOf(p, context);
  const object = context.set.lookupFor(sessionId, objectId);
  return { sessionId, value: context.set.subscribe(sessionId, object, type) };
};

const unsubscribe: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const objectId = getString(p, 'object');
  const subscription = getString(p, 'subscription');
  const sessionId = getString(p, 'sessionId');
  context.set.unsubscribe(sessionId, objectId, subscription);
  return { sessionId };
};

const keepAlive: RpcMethod = (params, context) => {
  const sessionId = getString(requireParams(params), 'sessionId');
  context.set.keepAlive(sessionId);
  return { sessionId };
};

const ref: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const objectId = getString(p, 'object');
  const sessionId = getString(p, 'sessionId');
  context.set.lookupFor(sessionId, objectId);
  return { sessionId };
};

const unref: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const objectId = getString(p, 'object');
  const sessionId = getString(p, 'sessionId');
  context.set.unrefById(sessionId, objectId);
  return { sessionId };
};

/** closeSession answers `result: null`, which would crash the npm client; it never sends it (§3). */
const closeSession: RpcMethod = (params, context) => {
  const p = requireParams(params);
  const releaseObjects = optionalBoolean(p, 'release') ?? false;
  const sessionId = getString(p, 'sessionId');
  if (releaseObjects) context.set.releaseSession(sessionId);
  else context.set.unrefSession(sessionId);
  return null;
};

/** Every method KMS registers except `transaction`, which needs the request processor (see transaction.ts). */
export const METHODS: Readonly<Record<string, RpcMethod>> = {
  ping,
  connect,
  describe,
  create,
  invoke,
  release,
  subscribe,
  unsubscribe,
  keepAlive,
  ref,
  unref,
  closeSession,
};
