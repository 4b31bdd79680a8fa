import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AssignResult, assignSession, FleetError } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { AssignmentSchema, bearerAuth, jsonBody, jsonResponse, NodeId, SessionId } from '../../schemas';

export const AssignBody = z
  .strictObject({
    sessionId: SessionId,
    nodeId: NodeId.optional().openapi({
      description: 'Force the node for a new session (operator’s choice; does not move the round robin).',
    }),
  })
  .openapi('AssignSession');

const route = apiRoute({
  method: 'post',
  path: '/v1/sessions',
  operationId: 'assignSession',
  tags: ['sessions'],
  summary: 'Place a session on a node (sticky for its life)',
  description:
    'A new session gets the next smooth-weighted-round-robin pick among eligible nodes (201). A session with a ' +
    'live assignment gets the same node (200, no pick consumed). A session whose node is down or disabled is ' +
    'moved (200, `reassigned: true`). No eligible node: 503, and nothing is recorded.',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { body: jsonBody(AssignBody) },
  responses: {
    201: jsonResponse(AssignmentSchema, 'A new assignment'),
    200: jsonResponse(AssignmentSchema, 'The existing assignment, or a move (`reassigned: true`)'),
    404: errorResponse(404, 'NOT_FOUND: the forced node (`nodeId`) does not exist.'),
    409: errorResponse(409, 'CONFLICT: the forced node (`nodeId`) is disabled. Nothing was recorded.'),
    503: errorResponse(
      503,
      'NO_NODE_AVAILABLE: no node is eligible for a new session (or for a session whose node is down or ' +
        'disabled); nothing was recorded, an existing assignment is kept. Or UNAVAILABLE: not ready, or the ' +
        'database cannot serve this now (see Retry-After).',
    ),
  },
});

export function registerAssignSession(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const metrics = c.get('metrics');
    let result: AssignResult;
    try {
      result = await assignSession(c.get('db'), c.req.valid('json'));
    } catch (error) {
      if (error instanceof FleetError && error.code === 'NO_NODE_AVAILABLE')
        metrics.recordAssignment(null, 'refused');
      throw error;
    }
    const { outcome, assignment } = result;
    metrics.recordAssignment(assignment.nodeId, outcome);
    return outcome === 'new' ? c.json(assignment, 201) : c.json(assignment, 200);
  });
}
