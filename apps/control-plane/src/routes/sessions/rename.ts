import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { renameSession } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { AssignmentSchema, bearerAuth, jsonBody, jsonResponse, SessionId } from '../../schemas';
import { SessionIdParams } from './get';

const RenameBody = z.strictObject({ to: SessionId }).openapi('RenameSession');

const route = apiRoute({
  method: 'post',
  path: '/v1/sessions/{sessionId}/rename',
  operationId: 'renameSession',
  tags: ['sessions'],
  summary: 'Give a session a new id, on the same node',
  description:
    'The session keeps its node and assignment time; no round-robin pick is consumed. A KMS gateway places a ' +
    'new MediaPipeline under a temporary key, creates it on the chosen KMS, then renames the session to the ' +
    'pipeline’s id, so that `GET /v1/sessions/<pipelineId>` names the KMS that holds it.',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { params: SessionIdParams, body: jsonBody(RenameBody) },
  responses: {
    200: jsonResponse(AssignmentSchema, 'The assignment under its new id'),
    404: errorResponse(404, 'NOT_FOUND: no live session with this id. Nothing was changed.'),
    409: errorResponse(409, 'CONFLICT: a session with the new id exists. Nothing was changed.'),
  },
});

export function registerRenameSession(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { sessionId } = c.req.valid('param');
    return c.json(await renameSession(c.get('db'), sessionId, c.req.valid('json').to), 200);
  });
}
