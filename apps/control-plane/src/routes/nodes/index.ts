import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { registerRotateAgentToken } from './agent-token';
import { registerCreateNode } from './create';
import { registerDeleteNode } from './delete';
import { registerReportFailure } from './failures';
import { registerGetNode } from './get';
import { registerHeartbeat } from './heartbeat';
import { registerListNodes } from './list';
import { registerUpdateNode } from './update';
import { registerSetWeights } from './weights';

export function registerNodeRoutes(app: OpenAPIHono<AppEnv>, heartbeatIntervalMs: number) {
  registerCreateNode(app);
  registerListNodes(app);
  registerGetNode(app);
  registerUpdateNode(app);
  registerDeleteNode(app);
  registerSetWeights(app);
  registerRotateAgentToken(app);
  registerHeartbeat(app, heartbeatIntervalMs);
  registerReportFailure(app);
}
