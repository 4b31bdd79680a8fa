import { randomBytes } from 'node:crypto';
import { type Answer, answer, type Call, type Core } from './core';
import { BackendLostError, NodeDownError, noKmsAvailable } from './errors';
import type { Placed } from './fleet';
import { routeCreated } from './forward';
import type { Reply } from './wire';

/** The prefix of a gateway's temporary placement keys: `kurento-fleet-gateway~<gateway id>~<uuid>`. */
export function temporaryKeyPrefix(gatewayId: string): string {
  return `kurento-fleet-gateway~${gatewayId}~`;
}

/**
 * Serves a request that creates pipelines (`create MediaPipeline`, or a transaction that does) on a node the
 * fleet picks. The pipeline's id is known only once it exists, so the fleet session is placed under a
 * temporary key, the request runs on the chosen KMS, and the session is renamed to the pipeline's id (same
 * node, no second pick). A KMS that cannot be reached is reported to the fleet (which takes it out at once),
 * its temporary session released, and the request placed again: the client sees no error.
 *
 * `created` reads the ids of the pipelines a success made.
 */
export async function placeAndServe(
  core: Core,
  call: Call,
  created: (reply: Reply) => string[],
): Promise<void> {
  const { fleet, settings, log } = core;
  for (let attempt = 1; attempt <= settings.placementAttempts; attempt++) {
    const key = `${settings.temporaryKeyPrefix}${randomBytes(6).toString('hex')}`;
    let placed: Placed | undefined;
    try {
      placed = await fleet.place(key);
    } catch (error) {
      log.warn('the control plane could not place a pipeline', { error });
      answer(core, call, { error: noKmsAvailable(`the control plane cannot be reached (${String(error)})`) });
      return;
    }
    if (!placed) {
      answer(core, call, { error: noKmsAvailable('the fleet has no node that can take a new pipeline') });
      return;
    }
    const node = core.nodes.ensure(placed.nodeId, placed.kmsUri);
    // The fleet may see a KMS back (its agent's heartbeat) before this gateway's backed-off link does.
    await node.retryNow();
    let reply: Reply;
    try {
      reply = await core.sessions.backendOn(call.session, node).send(call.method, call.params);
    } catch (error) {
      if (!(error instanceof NodeDownError || error instanceof BackendLostError)) throw error;
      core.metrics.placed(node.id, 'unreachable');
      log.warn('placed a pipeline on a KMS that cannot be reached; placing it again', {
        nodeId: node.id,
        attempt,
        error,
      });
      // A node that went down reported itself; a socket that failed on a node still up is reported here.
      if (error instanceof BackendLostError) {
        await settle(core, fleet.reportFailure(node.id, `gateway ${settings.gatewayId}: ${String(error)}`));
      }
      core.writes.release(key);
      continue;
    }
    const pipelines = reply.ok ? created(reply) : [];
    await register(core, key, node.id, pipelines);
    routeCreated(core, pipelines, node.id, call.session);
    if (pipelines.length > 0) core.metrics.placed(node.id, 'placed');
    answer(core, call, { reply });
    return;
  }
  answer(core, call, {
    error: noKmsAvailable(`no KMS could be reached in ${settings.placementAttempts} placements`),
  } satisfies Answer);
}

/**
 * Names the fleet sessions after the pipelines: the temporary one becomes the first pipeline's, any other
 * pipeline of the same request is registered on the same node. Nothing created: the temporary one is released.
 * Never the client's error: its pipeline exists and is routed here. A registration the control plane cannot
 * take now waits in core.writes until it can (other gateways find the pipeline from then on).
 */
async function register(
  core: Core,
  key: string,
  nodeId: string,
  pipelines: readonly string[],
): Promise<void> {
  const [first, ...others] = pipelines;
  if (first === undefined) {
    core.writes.release(key);
    return;
  }
  try {
    await core.fleet.rename(key, first);
  } catch (error) {
    // Without the rename the pipeline's fleet session would be a leftover that a restart releases: register
    // it under its own id on the same node instead (a rename that landed but whose answer was lost makes that
    // registration find the session already there).
    core.log.warn('could not rename a placement; registering the pipeline on its node instead', { error });
    await registerOn(core, first, nodeId);
    core.writes.release(key);
  }
  for (const pipelineId of others) await registerOn(core, pipelineId, nodeId);
}

/** Registers a pipeline on its node now, or, when the control plane cannot take it, as soon as it can. */
async function registerOn(core: Core, pipelineId: string, nodeId: string): Promise<void> {
  try {
    await core.fleet.placeOn(pipelineId, nodeId);
  } catch {
    core.writes.register(pipelineId, nodeId);
  }
}

/** Waits for a fleet call and logs its failure instead of passing it on. */
async function settle(core: Core, call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    core.log.warn('a call to the control plane failed', { error });
  }
}
