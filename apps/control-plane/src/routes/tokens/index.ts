import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { registerCreateToken } from './create';
import { registerDeleteToken } from './delete';
import { registerListTokens } from './list';

export function registerTokenRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateToken(app);
  registerListTokens(app);
  registerDeleteToken(app);
}
