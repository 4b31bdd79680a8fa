import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { reportFailure } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { text } from '../../input';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth, jsonBody, jsonResponse, NodeId, NodeIdParams } from '../../schemas';

const FailureBody = z
  .strictObject({ reason: text().min(1).max(200).openapi({ example: 'connect ECONNREFUSED' }) })
  .openapi('FailureReport');

const route = apiRoute({
  method: 'post',
  path: '/v1/nodes/{id}/failures',
  operationId: 'reportFailure',
  tags: ['nodes'],
  summary: 'Report a KMS that cannot be reached (app, admin): passive health',
  description:
    'The node is ejected at once: no new session is placed on it, and its sessions move on their next ' +
    '`POST /v1/sessions` (`reassigned: true`), until `ejectedUntil`. The ejection lasts FLEET_EJECTION_MS, ' +
    'doubled for each further ejection within 10 minutes, at most 10 times that. A report on a node already ' +
    'ejected changes nothing. A report never ejects a node when the ejected nodes would then hold more than ' +
    'FLEET_MAX_EJECTED_PERCENT of the fleet’s total weight: then `ejectedUntil` is null and the event says why.',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { params: NodeIdParams, body: jsonBody(FailureBody) },
  responses: {
    202: jsonResponse(
      z.object({ nodeId: NodeId, ejectedUntil: z.string().nullable() }).openapi('FailureOutcome'),
      'Recorded; `ejectedUntil` says until when the node is out of rotation (null: not ejected)',
    ),
    404: errorResponse(404, 'NOT_FOUND: no node with this id. Nothing was changed.'),
  },
});

export function registerReportFailure(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const outcome = await reportFailure(c.get('db'), c.req.valid('param').id, c.req.valid('json').reason);
    return c.json(outcome, 202);
  });
}
