/**
 * @module @kurento-fleet/client — a typed client of the kurento-fleet control plane for Node application
 * servers. The Kurento helper (a connected KurentoClient for a session's node) is the separate entry
 * `@kurento-fleet/client/kurento`, so that this one does not load kurento-client.
 */
export { type AssignResult, FleetClient, type FleetClientOptions } from './client';
export {
  BadRequestError,
  ConflictError,
  FleetApiError,
  FleetClientError,
  type FleetErrorCode,
  FleetUnavailableError,
  ForbiddenError,
  NoNodeAvailableError,
  NotFoundError,
  UnauthorizedError,
} from './errors';
export { describeEvent } from './events';
export { defaultRetry, type RetryOptions } from './retry';
export type { StreamEventsOptions } from './stream';
// Every shape of the API, under the names this SDK has always exported (./types lists them once).
export type * from './types';
export {
  signWebhook,
  type VerifyOptions,
  verifyWebhookSignature,
  type WebhookRequestHeaders,
  webhookHeaders,
} from './webhook-signature';
