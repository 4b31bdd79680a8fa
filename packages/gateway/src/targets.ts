import {
  isJsonObject,
  type JsonObject,
  objectNotFound,
  type RpcError,
} from '@kurento-fleet/kurento-protocol';
import { elementsOfTwoPipelines } from './errors';
import type { RouteTable } from './routes';
import { NEW_REF, pipelineOf, SERVER_MANAGER } from './wire';

/**
 * Parameter names whose values are object ids, in `constructorParams` and `operationParams`: every parameter
 * typed as a remote class in KMS 7.3's core, elements and filters modules (HubPort's `hub`, `connect`'s
 * `sink`, the Dispatcher's and Mixer's `source`/`sink`, AlphaBlending's `port`; checked against the .kmd
 * files by a test).
 */
export const ID_PARAMS = ['mediaPipeline', 'hub', 'sink', 'source', 'port'] as const;

/** Where a request goes. */
export type Target =
  /** The KMS of the pipeline its objects belong to. */
  | { kind: 'node'; nodeId: string; pipelineId: string }
  /** It names an object of no pipeline the gateway or the fleet knows. */
  | { kind: 'unknown'; objectId: string }
  /** It is about the ServerManager. */
  | { kind: 'manager' }
  /** It names no object: any KMS answers it as well (usually with the error a KMS gives for it). */
  | { kind: 'anywhere' }
  /** It cannot be split over the fleet. */
  | { kind: 'refused'; error: RpcError };

/** The object ids a request names: its `object` (or, for create, its parent), then ids among its params. */
export function namedIds(method: string, params: JsonObject): string[] {
  const ids: string[] = [];
  if (method !== 'create') addId(ids, params.object);
  for (const bag of [params.constructorParams, params.operationParams]) {
    if (!isJsonObject(bag)) continue;
    for (const name of ID_PARAMS) addId(ids, bag[name]);
  }
  return ids;
}

function addId(ids: string[], value: unknown): void {
  if (typeof value === 'string' && !value.startsWith(NEW_REF)) ids.push(value);
}

/**
 * The target of a request from the ids it names. Ids of two pipelines cannot be served (they may live on two
 * KMS); answered as KMS answers a connection between two pipelines of one server.
 */
export function targetOf(ids: readonly string[], routes: RouteTable): Target | Promise<Target> {
  const [first] = ids;
  if (first === undefined) return { kind: 'anywhere' };
  if (first === SERVER_MANAGER) return { kind: 'manager' };
  // Every request about a known pipeline's objects, nothing else named: decided in this turn.
  const known = routes.get(pipelineOf(first));
  if (known !== undefined && ids.length === 1)
    return { kind: 'node', nodeId: known, pipelineId: pipelineOf(first) };
  return resolveTarget(ids, routes);
}

async function resolveTarget(ids: readonly string[], routes: RouteTable): Promise<Target> {
  const [first, ...others] = ids as [string, ...string[]];
  const pipelineId = pipelineOf(first);
  const nodeId = await routes.resolve(pipelineId);
  for (const other of others) {
    if (pipelineOf(other) === pipelineId) continue;
    // KMS looks every id up: one it does not know is "not found" before any question of pipelines.
    if ((await routes.resolve(pipelineOf(other))) === undefined) {
      return { kind: 'refused', error: objectNotFound(other) };
    }
    return { kind: 'refused', error: elementsOfTwoPipelines() };
  }
  if (nodeId === undefined) return { kind: 'unknown', objectId: first };
  return { kind: 'node', nodeId, pipelineId };
}
