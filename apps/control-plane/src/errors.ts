import { z } from '@hono/zod-openapi';
import { FleetError, storageFailure } from '@kurento-fleet/db';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context';

/** Every error code the API answers with, and its HTTP status: the one place that maps them. */
export const errorStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  NO_NODE_AVAILABLE: 503,
  UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

/** An error the API reports as is: code, human message, and (set by the handler) the request id. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') ?? '' } }, errorStatus[code]);
}

const codeForHttpStatus: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** The app's onError: every failure leaves in the one error shape; unexpected ones are logged, not leaked. */
export function handleError(error: Error, c: Context<AppEnv>) {
  if (error instanceof AppError || error instanceof FleetError)
    return errorBody(c, error.code, error.message);
  if (error instanceof HTTPException) {
    const code = codeForHttpStatus[error.status] ?? 'BAD_REQUEST';
    const message =
      error.status === 415 ? 'Content-Type must be application/json.' : error.message || 'Bad request.';
    return errorBody(c, code, message);
  }
  c.get('log')?.error('request failed', {
    requestId: c.get('requestId'),
    error: String(error?.stack ?? error),
  });
  // A full disk or a read-only file is the operator's to fix, and the request may be retried: 503, not 500.
  const storage = storageFailure(error);
  if (storage) return errorBody(c, 'UNAVAILABLE', `Cannot serve this now: ${storage}. Nothing was changed.`);
  return errorBody(c, 'INTERNAL_ERROR', 'Internal error.');
}

/** Validation hook of every route: a bad body, path or query is a 400 in the same shape, naming the field. */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Context<AppEnv>,
) {
  if (result.success) return;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : result.target === 'json' ? 'body' : result.target;
  // A map key's own rule says more than zod's "Invalid key in record".
  const inner = issue?.code === 'invalid_key' ? issue.issues[0] : undefined;
  return errorBody(c, 'BAD_REQUEST', `${where}: ${inner?.message ?? issue?.message ?? 'invalid'}`);
}
