import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { registerAssignSession } from './assign';
import { registerGetSession } from './get';
import { registerListSessions } from './list';
import { registerReleaseSession } from './release';
import { registerRenameSession } from './rename';

export function registerSessionRoutes(app: OpenAPIHono<AppEnv>) {
  registerAssignSession(app);
  registerGetSession(app);
  registerReleaseSession(app);
  registerListSessions(app);
  registerRenameSession(app);
}
