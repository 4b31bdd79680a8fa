import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { registerCreateWebhook } from './create';
import { registerDeleteWebhook } from './delete';
import { registerListWebhookDeliveries } from './deliveries';
import { registerListWebhooks } from './list';

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateWebhook(app);
  registerListWebhooks(app);
  registerDeleteWebhook(app);
  registerListWebhookDeliveries(app);
}
