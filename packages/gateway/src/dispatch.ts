import { randomUUID } from 'node:crypto';
import {
  asParams,
  errorResponse,
  getString,
  injectSessionId,
  isJsonObject,
  type Json,
  methodNotFound,
  optionalString,
  parseEnvelope,
  parseError,
  RpcError,
  type RpcRequest,
  requireParams,
  stringifySorted,
} from '@kurento-fleet/kurento-protocol';
import { answer, type Call, type Core } from './core';
import { noKmsAvailable } from './errors';
import { releasePipeline, routeCreated, sendAnywhere, sendTo, unknownObjectAnswer } from './forward';
import { placeAndServe } from './placement';
import { serverManagerCall } from './server-manager';
import { type BareCall, closeSession, connect, keepAlive, ping } from './session-methods';
import type { ClientLink } from './sessions';
import { namedIds, type Target, targetOf } from './targets';
import { pipelinesCreatedBy, planTransaction } from './transaction';
import { isPipelineId } from './wire';

/** Methods that take the request's sessionId or make a new one (KMS getOrCreateSessionId). */
const SESSION_OR_NEW = new Set(['describe', 'create', 'invoke', 'release', 'subscribe', 'transaction']);

/** Methods that require a sessionId, and the parameters KMS checks before it (for the same error first). */
const SESSION_REQUIRED: Record<string, readonly string[]> = {
  ref: ['object'],
  unref: ['object'],
  unsubscribe: ['object', 'subscription'],
};

/**
 * Serves one frame from an application, as KMS would: the same checks and errors for what is malformed, the
 * linked session injected, each request relayed to the KMS of the pipeline it is about. Never throws: a
 * frame that breaks the gateway is answered with an unexpected error, and the socket stays open.
 */
export async function handleFrame(core: Core, client: ClientLink, text: string): Promise<void> {
  const started = performance.now();
  let message: Json;
  try {
    message = JSON.parse(text) as Json;
  } catch {
    sendRaw(client, null, parseError());
    return;
  }
  if (client.session) injectSessionId(message, client.session.id);
  let request: RpcRequest;
  try {
    request = parseEnvelope(message);
  } catch (error) {
    sendRaw(client, null, error as RpcError);
    return;
  }
  const bare: BareCall = { client, id: request.id, method: request.method, params: null, started };
  try {
    await serveRequest(core, bare, request);
  } catch (error) {
    if (error instanceof RpcError) {
      answer(core, bare, { error });
      return;
    }
    core.log.error('a request broke the gateway', { method: request.method, error: String(error) });
    answer(core, bare, { error: noKmsAvailable(`the gateway failed on this request (${String(error)})`) });
  }
}

async function serveRequest(core: Core, bare: BareCall, request: RpcRequest): Promise<void> {
  const { method } = request;
  if (method === 'ping') {
    // ping never fails: params it cannot read are no params.
    ping(core, { ...bare, params: isJsonObject(request.params) ? request.params : null });
    return;
  }
  const params = asParams(request.params);
  if (method === 'connect') return connect(core, { ...bare, params });
  if (method === 'keepAlive') return keepAlive(core, { ...bare, params });
  if (method === 'closeSession') return closeSession(core, { ...bare, params });
  const required = SESSION_REQUIRED[method];
  if (!SESSION_OR_NEW.has(method) && !required) {
    answer(core, bare, { error: methodNotFound() });
    return;
  }
  const p = requireParams(params);
  if (required && optionalString(p, 'sessionId') === undefined) {
    for (const name of [...required, 'sessionId']) getString(p, name);
  }
  const sessionId = optionalString(p, 'sessionId') ?? randomUUID();
  p.sessionId = sessionId;
  const call: Call = { ...bare, params: p, session: core.sessions.getOrCreate(sessionId) };

  if (method === 'transaction') return transaction(core, call);
  if (method === 'create' && p.type === 'MediaPipeline') {
    return placeAndServe(core, call, (reply) => {
      const value = reply.result?.value;
      return typeof value === 'string' ? [value] : [];
    });
  }
  const target = targetOf(namedIds(method, p), core.routes);
  return target instanceof Promise ? target.then((t) => serve(core, call, t)) : serve(core, call, target);
}

async function transaction(core: Core, call: Call): Promise<void> {
  const plan = await planTransaction(call.params, core.routes);
  if (plan.target.kind === 'placement') {
    return placeAndServe(core, call, (reply) => pipelinesCreatedBy(reply, plan.creates));
  }
  const { target } = plan;
  if (target.kind !== 'node' || plan.creates.length === 0) return serve(core, call, target);
  // A transaction on an existing pipeline that also creates pipelines: they live on the same KMS.
  const node = core.nodes.get(target.nodeId);
  if (!node) return serve(core, call, target);
  const out = await sendTo(core, call, node, () => unknownObjectAnswer(call, target.pipelineId));
  if ('reply' in out && out.reply.ok) {
    core.routes.touch(target.pipelineId, call.session);
    const created = pipelinesCreatedBy(out.reply, plan.creates);
    routeCreated(core, created, node.id, call.session);
    // Registered now, or, while the control plane is away, as soon as it takes it (core.writes).
    for (const pipelineId of created) core.writes.register(pipelineId, node.id);
  }
  answer(core, call, out);
}

/** Serves a request at its target. */
async function serve(core: Core, call: Call, target: Target): Promise<void> {
  switch (target.kind) {
    case 'node': {
      const node = core.nodes.get(target.nodeId);
      const objectId = typeof call.params.object === 'string' ? call.params.object : target.pipelineId;
      const whenDown = () => unknownObjectAnswer(call, objectId);
      const out = node ? await sendTo(core, call, node, whenDown) : whenDown();
      if ('reply' in out && out.reply.ok) {
        if (call.method === 'release' && objectId === target.pipelineId && isPipelineId(objectId)) {
          releasePipeline(core, objectId);
        } else {
          core.routes.touch(target.pipelineId, call.session);
        }
      }
      answer(core, call, out);
      return;
    }
    case 'unknown':
      // A KMS gives the exact answer for an id it does not know (40101, or success for release).
      answer(core, call, await sendAnywhere(core, call, () => unknownObjectAnswer(call, target.objectId)));
      return;
    case 'anywhere':
      answer(
        core,
        call,
        await sendAnywhere(core, call, () => ({ error: noKmsAvailable('none is reachable') })),
      );
      return;
    case 'manager':
      return serverManagerCall(core, call);
    case 'refused':
      answer(core, call, { error: target.error });
      return;
  }
}

/** An answer to a frame that is not a usable request: id null, nothing linked, nothing counted. */
function sendRaw(client: ClientLink, id: null, error: RpcError): void {
  if (client.isOpen) client.send(stringifySorted(errorResponse(id, error)));
}
