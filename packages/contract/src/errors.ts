import { z } from 'zod';

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
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

/** The one error shape: `{"error":{"code","message","requestId"}}`; the message names the problem. */
export const ErrorSchema = z
  .object({
    error: z.object({ code: z.enum(errorCodes), message: z.string(), requestId: z.string() }),
  })
  .meta({ id: 'Error' });
