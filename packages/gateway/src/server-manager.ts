import { randomUUID } from 'node:crypto';
import { isJsonObject, type Json } from '@kurento-fleet/kurento-protocol';
import { answer, type Call, type Core } from './core';
import { noKmsAvailable } from './errors';
import { sendAnywhere } from './forward';

/** ServerManager events the gateway serves itself, from every KMS's control connection. */
export const FLEET_WIDE_EVENTS = new Set(['ObjectCreated', 'ObjectDestroyed']);

/** Operations whose answer is the union over the fleet: what one KMS as large as the fleet would list. */
const UNIONS = new Set(['getPipelines', 'getSessions']);

/**
 * A request about `manager_ServerManager`. The fleet looks like one KMS: getPipelines and getSessions list
 * every KMS's, ObjectCreated/ObjectDestroyed subscriptions get every KMS's events; anything else (getInfo,
 * getKmd, getCpuCount…) is answered by one healthy KMS, in the session.
 */
export async function serverManagerCall(core: Core, call: Call): Promise<void> {
  const { method, params, session } = call;
  const unavailable = () => ({ error: noKmsAvailable('none is reachable') });
  if (method === 'invoke' && typeof params.operation === 'string' && UNIONS.has(params.operation)) {
    // With operationParams, KMS refuses the call (no such overload): let one answer it exactly.
    const extra = params.operationParams;
    if (extra === undefined || (isJsonObject(extra) && Object.keys(extra).length === 0)) {
      const value = await union(core, params.operation);
      answer(core, call, value === undefined ? unavailable() : { result: { sessionId: session.id, value } });
      return;
    }
  }
  if (method === 'subscribe' && typeof params.type === 'string' && FLEET_WIDE_EVENTS.has(params.type)) {
    const subscription = randomUUID();
    session.managerSubscriptions.set(subscription, params.type);
    answer(core, call, { result: { sessionId: session.id, value: subscription } });
    return;
  }
  if (method === 'unsubscribe' && typeof params.subscription === 'string') {
    if (session.managerSubscriptions.delete(params.subscription)) {
      answer(core, call, { result: { sessionId: session.id } });
      return;
    }
  }
  answer(core, call, await sendAnywhere(core, call, unavailable));
}

/** The union of one list over every reachable KMS, asked in the gateway's own sessions; undefined if none. */
async function union(core: Core, operation: string): Promise<Json[] | undefined> {
  await core.nodes.ready;
  const nodes = core.nodes.up();
  const answers = await Promise.allSettled(
    nodes.map((node) =>
      node.controlRequest('invoke', { object: 'manager_ServerManager', operation }).then((reply) => {
        const value = reply.result?.value;
        return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
      }),
    ),
  );
  const seen = new Set<string>();
  let answered = false;
  answers.forEach((settled, index) => {
    if (settled.status !== 'fulfilled') return;
    answered = true;
    const nodeId = (nodes[index] as (typeof nodes)[number]).id;
    for (const id of settled.value) {
      if (operation === 'getPipelines') core.routes.set(id, nodeId);
      // The gateway's own control sessions are its business, not the application's.
      if (operation === 'getSessions' && id.startsWith(CONTROL_SESSION_PREFIX)) continue;
      seen.add(id);
    }
  });
  return answered ? [...seen] : undefined;
}

/** How the gateway's control sessions are named on every KMS (one per gateway id, reused across restarts). */
export const CONTROL_SESSION_PREFIX = 'kurento-fleet-gateway~';
