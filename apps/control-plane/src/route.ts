import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { maxBodyBytes } from './body-limit';
import { ErrorSchema } from './errors';

/** The HTTP statuses of the error answers, and what each means wherever it is not said more precisely. */
const meanings = {
  400: 'BAD_REQUEST: invalid input (body, path or query); the message names the field. Nothing was changed.',
  401: 'UNAUTHORIZED: no bearer token, or one that is invalid or revoked.',
  403: 'FORBIDDEN: a valid token whose role may not call this operation.',
  404: 'NOT_FOUND: no such id.',
  409: 'CONFLICT: refused by the current state. Nothing was changed.',
  413: `PAYLOAD_TOO_LARGE: the body is larger than ${maxBodyBytes} bytes (1 MiB).`,
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is not JSON (Content-Type must be application/json).',
  429:
    'TOO_MANY_REQUESTS: too many failed authentications from this client within a minute; wait Retry-After ' +
    'seconds. A valid token is never refused.',
  500: 'INTERNAL_ERROR: an unexpected failure, logged with the request id. Nothing is promised about changes.',
  503:
    'UNAVAILABLE: not ready (the database schema is not in place yet; see Retry-After), or the database cannot ' +
    'serve this now (disk full, read-only file, lock held too long). Nothing was changed; retry later.',
} as const;

export type ErrorStatus = keyof typeof meanings;

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

/** One documented error answer: the one error shape, with `description` (default: what the status means). */
export function errorResponse(status: ErrorStatus, description: string = meanings[status]) {
  return {
    description,
    ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
    content: { 'application/json': { schema: ErrorSchema } },
  };
}

/** Error answers with their usual meanings, for the errors a route adds itself (404, 409…). */
export function errorResponses(...statuses: ErrorStatus[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse(status)]));
}

/**
 * `createRoute` for every operation of the API, which documents the errors a route can give by what it is, so
 * that none is forgotten: every route can answer 413 (the body limit applies to every request), 503 (not ready,
 * or storage failing) and 500; an authenticated one 401, 403 and 429; one that reads a path, a query or a body
 * 400; one that reads a JSON body 415. A route lists only the errors of its own (404, 409, a 503 with more to
 * say), which take precedence. The operationId is required: generated clients name their methods after it.
 */
export function apiRoute<R extends RouteConfig & { operationId: string }>(config: R): R {
  const { request } = config;
  const statuses: ErrorStatus[] = [413, 500, 503];
  if ((config.security ?? []).length > 0) statuses.push(401, 403, 429);
  if (request?.params || request?.query || request?.body) statuses.push(400);
  if (request?.body) statuses.push(415);
  return createRoute({ ...config, responses: { ...errorResponses(...statuses), ...config.responses } });
}
