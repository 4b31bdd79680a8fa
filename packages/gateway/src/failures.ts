import { eventNotification, stringifySorted } from '@kurento-fleet/kurento-protocol';
import type { Core } from './core';
import { releasePipeline } from './forward';
import type { KmsNode, NodeHooks } from './kms-node';
import { isPipelineId } from './wire';

/** `Error` event fields (core.kmd: type, description, errorCode) for a pipeline whose KMS is gone. */
function lossEvent(pipelineId: string, node: KmsNode, why: 'failed' | 'restarted', now: number): string {
  const description =
    why === 'failed'
      ? `The KMS of node '${node.id}' (${node.uri}) is unreachable: this pipeline and its elements are lost`
      : `The KMS of node '${node.id}' (${node.uri}) restarted: this pipeline and its elements are lost`;
  return stringifySorted(
    eventNotification({
      data: {
        description,
        // MEDIA_OBJECT_NOT_FOUND: what every later call on these objects answers.
        errorCode: 40101,
        source: pipelineId,
        tags: [],
        // Parsed with Long.parseLong by the Java client: a string of digits.
        timestampMillis: String(now),
        type: why === 'failed' ? 'KMS_UNREACHABLE' : 'KMS_RESTARTED',
      },
      object: pipelineId,
      type: 'Error',
    }),
  );
}

/**
 * What happens when a KMS fails or restarts, and when it comes back. The hooks every {@link KmsNode} calls.
 * Pipelines declared lost while their KMS was unreachable are remembered, to be released if that same KMS
 * process comes back (its clients were told they are gone, and rebuild them elsewhere).
 */
export function nodeHooks(core: () => Core): NodeHooks {
  const zombies = new Map<string, Set<string>>();
  return {
    down(node) {
      const { fleet, log, settings } = core();
      // Passive health: the fleet takes the node out at once, before its agent's next heartbeat says so.
      fleet
        .reportFailure(node.id, `gateway ${settings.gatewayId}: cannot reach ${node.uri}`)
        .catch((error: unknown) => {
          log.warn('could not report an unreachable node', { nodeId: node.id, error });
        });
    },

    lost(node, why) {
      const c = core();
      const { routes, log, metrics } = c;
      const pipelines = routes.pipelinesOn(node.id);
      const now = Date.now();
      let told = 0;
      for (const pipelineId of pipelines) {
        const event = lossEvent(pipelineId, node, why, now);
        for (const session of releasePipeline(c, pipelineId)) {
          session.deliver(event);
          told += 1;
        }
      }
      if (why === 'failed') {
        const lost = zombies.get(node.id) ?? new Set();
        for (const pipelineId of pipelines) lost.add(pipelineId);
        zombies.set(node.id, lost);
      } else {
        zombies.delete(node.id);
      }
      metrics.lost(node.id, why);
      log.warn(why === 'failed' ? 'node failed' : 'node restarted', {
        nodeId: node.id,
        pipelines: pipelines.length,
        errorEvents: told,
      });
    },

    up(node, pipelines, sameServer) {
      const { routes, log } = core();
      const lost = zombies.get(node.id);
      zombies.delete(node.id);
      for (const pipelineId of pipelines) {
        if (sameServer && lost?.has(pipelineId)) {
          node.controlRequest('release', { object: pipelineId }).catch(() => {});
          continue;
        }
        routes.set(pipelineId, node.id);
      }
      log.info('node connected', { nodeId: node.id, pipelines: pipelines.length, sameServer });
    },

    managerEvent(node, type, objectId, text) {
      const c = core();
      if (isPipelineId(objectId)) {
        if (type === 'ObjectCreated') c.routes.set(objectId, node.id);
        else if (c.routes.get(objectId) === node.id) releasePipeline(c, objectId);
      }
      for (const session of c.sessions.values()) if (session.wantsManagerEvent(type)) session.deliver(text);
    },
  };
}
