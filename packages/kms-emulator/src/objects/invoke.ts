import {
  isJsonObject,
  type Json,
  type JsonObject,
  kurentoError,
  marshallError,
  objectNotFound,
  unexpectedError,
} from '@kurento-fleet/kurento-protocol';
import type { MediaEngine } from '../endpoints/engine';
import type { KmdParam, Operation } from './kmd';
import type { MediaObject } from './media-object';
import type { MediaSet } from './media-set';
import { checkParamType, defaultValue, isRemoteClassType } from './values';

/** What the ServerManager's operations read from the running server. */
export interface ServerContext {
  readonly serverInfo: JsonObject;
  readonly metadata: string;
  readonly cpuCount: number;
  /** Percent of one core (100 = one core busy), as getUsedCpu reports it. */
  usedCpuPercent(): number;
  /** Resident set size in KiB, as getUsedMemory reports it. */
  usedMemoryKiB(): number;
}

/** One invocation, after its operationParams passed the generated unmarshalling checks. */
export interface OperationCall {
  readonly object: MediaObject;
  readonly params: JsonObject;
  /** Objects named by remote-class parameters, already resolved. */
  readonly refs: ReadonlyMap<string, MediaObject>;
  readonly set: MediaSet;
  readonly server: ServerContext;
  /** SDP negotiation and, in media mode, real media. */
  readonly engine: MediaEngine;
}

/** An operation the emulator models; the others get stored or neutral values. Slow ones return a promise. */
export type OperationHandler = (call: OperationCall) => Json | Promise<Json>;

/** Handlers keyed by `<declaring class>.<operation>`, e.g. `MediaElement.connect`. */
export type OperationTable = Readonly<Record<string, OperationHandler>>;

/** jsoncpp's Value::size(): members of an object or array, 0 for anything else. */
function jsonSize(value: Json | undefined): number {
  if (Array.isArray(value)) return value.length;
  return isJsonObject(value) ? Object.keys(value).length : 0;
}

function resolveRefs(
  params: readonly KmdParam[],
  values: JsonObject,
  set: MediaSet,
): Map<string, MediaObject> {
  const refs = new Map<string, MediaObject>();
  for (const param of params) {
    const value = values[param.name];
    if (typeof value !== 'string' || !isRemoteClassType(param.type, set.registry)) continue;
    const target = set.lookup(value);
    // A wrong kind of object fails the C++ dynamic cast; KMS then reports the object as not found.
    if (!target.mediaClass.isA(param.type)) throw objectNotFound(value);
    refs.set(param.name, target);
  }
  return refs;
}

/**
 * The generated Method::Serialize checks: params must be an object (required when the method has required
 * parameters), each parameter of its declared type. Shared with constructors.
 */
export function unmarshal(
  declared: readonly KmdParam[],
  raw: Json | undefined,
  what: 'operationParams' | 'constructorParams',
  set: MediaSet,
): { values: JsonObject; refs: Map<string, MediaObject> } {
  const hasRequired = declared.some((p) => !p.optional);
  if (raw === undefined || raw === null) {
    if (hasRequired) throw marshallError(`'${what}' is required`);
  } else if (!isJsonObject(raw)) {
    throw marshallError(`'${what}' should be an object`);
  }
  const values = isJsonObject(raw) ? raw : {};
  for (const param of declared) {
    if (param.optional && values[param.name] === undefined) continue;
    checkParamType(param.name, values[param.name], param.type, set.registry);
  }
  return { values, refs: resolveRefs(declared, values, set) };
}

function fallback(operation: Operation, call: OperationCall, defaults: Readonly<Record<string, Json>>): Json {
  switch (operation.kind) {
    case 'get': {
      const { property } = operation;
      const stored = call.object.getProp(property.name);
      if (stored !== undefined) return stored;
      return (
        defaults[`${operation.owner}.${property.name}`] ?? defaultValue(property.type, call.set.registry)
      );
    }
    case 'set':
      call.object.setProp(operation.property.name, call.params[operation.property.name] ?? null);
      return null;
    case 'method':
      return operation.method.return ? defaultValue(operation.method.return.type, call.set.registry) : null;
  }
}

/**
 * ServerMethods::invoke below the session handling: resolves the operation on the object's class chain,
 * unmarshals its params, and runs the modelled handler or the neutral fallback.
 */
export function invokeOperation(
  object: MediaObject,
  name: string,
  operationParams: Json | undefined,
  context: {
    set: MediaSet;
    server: ServerContext;
    engine: MediaEngine;
    handlers: OperationTable;
    defaults: Readonly<Record<string, Json>>;
  },
): Json | Promise<Json> {
  const operation = object.mediaClass.operations.get(name);
  if (!operation) {
    throw kurentoError(
      'MALFORMED_TRANSACTION',
      `Method '${name}' with ${jsonSize(operationParams)} parameters not found`,
    );
  }
  let values: JsonObject = {};
  let refs: Map<string, MediaObject> = new Map();
  if (operation.kind === 'method') {
    ({ values, refs } = unmarshal(operation.method.params, operationParams, 'operationParams', context.set));
  } else if (operation.kind === 'set') {
    if (operationParams !== undefined && operationParams !== null && !isJsonObject(operationParams)) {
      throw unexpectedError('in Json::Value::find(begin, end): requires objectValue or nullValue');
    }
    values = operationParams ?? {};
    const { property } = operation;
    checkParamType(property.name, values[property.name], property.type, context.set.registry);
    refs = resolveRefs([property], values, context.set);
  }
  const { set, server, engine } = context;
  const call: OperationCall = { object, params: values, refs, set, server, engine };
  const handler = context.handlers[`${operation.owner}.${operation.name}`];
  return handler ? handler(call) : fallback(operation, call, context.defaults);
}
