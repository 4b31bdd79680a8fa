import { objectNotFound } from '@kurento-fleet/kurento-protocol';
import type { Answer, Call, Core } from './core';
import { answerLost, BackendLostError, NodeDownError } from './errors';
import type { KmsNode } from './kms-node';
import type { VirtualSession } from './sessions';

/** Methods that KMS answers with success for an object it does not know. */
const SUCCEED_ON_UNKNOWN = new Set(['release', 'unref', 'unsubscribe']);

/** What KMS answers when the object a request names does not exist (its pipeline's KMS died, or never was). */
export function unknownObjectAnswer(call: Call, objectId: string): Answer {
  if (SUCCEED_ON_UNKNOWN.has(call.method)) return { result: { sessionId: call.session.id } };
  return { error: objectNotFound(objectId) };
}

/**
 * Relays a request to a node in the call's session. A node that is down answers as KMS does for objects it
 * does not have (`whenDown`); a socket that closed before the answer gives KMS's generic error.
 */
export async function sendTo(core: Core, call: Call, node: KmsNode, whenDown: () => Answer): Promise<Answer> {
  try {
    return { reply: await core.sessions.backendOn(call.session, node).send(call.method, call.params) };
  } catch (error) {
    if (!(error instanceof BackendLostError && error.sent && readOnly(call))) {
      return failureAnswer(error, node, whenDown);
    }
  }
  // A read that met a dropped socket is sent again on a new one (after the node's grace, if it is failing).
  try {
    return { reply: await core.sessions.backendOn(call.session, node).send(call.method, call.params) };
  } catch (error) {
    return failureAnswer(error, node, whenDown);
  }
}

/** Requests that change nothing on the KMS, so that sending them twice is harmless. */
function readOnly(call: Call): boolean {
  if (call.method === 'describe') return true;
  const { operation } = call.params;
  return call.method === 'invoke' && typeof operation === 'string' && /^get[A-Z]/.test(operation);
}

/** Relays a request that names no known pipeline to a KMS that can answer it, or answers `fallback`. */
export async function sendAnywhere(core: Core, call: Call, fallback: () => Answer): Promise<Answer> {
  await core.nodes.ready;
  const tried = new Set<string>();
  // A node that fails before the request leaves is passed over for the next one.
  for (
    let node = core.nodes.pickFor(call.session, tried);
    node;
    node = core.nodes.pickFor(call.session, tried)
  ) {
    tried.add(node.id);
    try {
      return { reply: await core.sessions.backendOn(call.session, node).send(call.method, call.params) };
    } catch (error) {
      if (error instanceof BackendLostError && error.sent) return { error: answerLost(node.id, true) };
      if (!(error instanceof BackendLostError || error instanceof NodeDownError)) throw error;
    }
  }
  return fallback();
}

/** Converts a transport failure into the answer KMS would give. */
export function failureAnswer(error: unknown, node: KmsNode, whenDown: () => Answer): Answer {
  if (error instanceof NodeDownError) return whenDown();
  if (error instanceof BackendLostError) return { error: answerLost(node.id, error.sent) };
  throw error;
}

/**
 * A pipeline ended (released, collected by its KMS, or lost with it): forget its route and release its fleet
 * session. Returns the sessions that used it (none when it was not routed here).
 */
export function releasePipeline(core: Core, pipelineId: string): ReadonlySet<VirtualSession> {
  if (core.routes.get(pipelineId) === undefined) return new Set();
  const users = core.routes.delete(pipelineId);
  core.writes.release(pipelineId);
  return users;
}

/** Pipelines a request of `session` created on `nodeId`: routed there, and used by that session. */
export function routeCreated(
  core: Core,
  pipelineIds: readonly string[],
  nodeId: string,
  session: VirtualSession,
): void {
  for (const pipelineId of pipelineIds) {
    core.routes.set(pipelineId, nodeId);
    core.routes.touch(pipelineId, session);
  }
}
