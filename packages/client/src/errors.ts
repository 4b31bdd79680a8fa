/** The error codes the control plane answers with; other strings may appear from proxies or newer servers. */
export type FleetErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_ERROR'
  | 'NO_NODE_AVAILABLE'
  | 'UNAVAILABLE';

/** Base class of every error the SDK throws, so `catch (e) { if (e instanceof FleetClientError) … }` works. */
export class FleetClientError extends Error {
  override name = 'FleetClientError';
}

/** The control plane answered with an error: its status, code, message and request id (quote it in reports). */
export class FleetApiError extends FleetClientError {
  override name = 'FleetApiError';
  readonly status: number;
  readonly code: FleetErrorCode | (string & {});
  readonly requestId: string;

  constructor(status: number, code: string, message: string, requestId: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

/** 400: invalid input; the message names the field. Nothing was changed. */
export class BadRequestError extends FleetApiError {
  override name = 'BadRequestError';
}

/** 401: no token, or a token the control plane does not know. */
export class UnauthorizedError extends FleetApiError {
  override name = 'UnauthorizedError';
}

/** 403: a valid token whose role may not do this (an app token on /v1/nodes, say). */
export class ForbiddenError extends FleetApiError {
  override name = 'ForbiddenError';
}

/** 404: unknown node, session or token. */
export class NotFoundError extends FleetApiError {
  override name = 'NotFoundError';
}

/** 409: conflicts with the current state (a node id or uri taken, a node that still holds sessions…). */
export class ConflictError extends FleetApiError {
  override name = 'ConflictError';
}

/**
 * 503 NO_NODE_AVAILABLE: no node can take a new session (all down, draining, full or weight 0). Nothing was
 * recorded; the SDK has already retried with backoff before throwing this.
 */
export class NoNodeAvailableError extends FleetApiError {
  override name = 'NoNodeAvailableError';
}

/** The control plane could not be reached or did not answer in time, after the retries. */
export class FleetUnavailableError extends FleetClientError {
  override name = 'FleetUnavailableError';
  /** `network`: no HTTP answer (refused, reset, DNS…); `timeout`: no answer within `timeoutMs`. */
  readonly reason: 'network' | 'timeout';

  constructor(message: string, reason: 'network' | 'timeout', cause?: unknown) {
    super(message, { cause });
    this.reason = reason;
  }
}

type ApiErrorClass = new (status: number, code: string, message: string, requestId: string) => FleetApiError;

const classByStatus: Partial<Record<number, ApiErrorClass>> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
};

/**
 * The typed error for an HTTP error answer. `body` is the parsed JSON, if any: a proxy's HTML page or an empty
 * body still gives an error with the status, and the request id from the `X-Request-Id` header.
 */
export function apiError(status: number, body: unknown, headers: Headers): FleetApiError {
  const error = errorFields(body);
  const code = text(error.code) ?? codeForStatus(status);
  const message = text(error.message) ?? `HTTP ${status}`;
  const requestId = text(error.requestId) ?? headers.get('x-request-id') ?? '';
  const ErrorClass =
    code === 'NO_NODE_AVAILABLE' ? NoNodeAvailableError : (classByStatus[status] ?? FleetApiError);
  return new ErrorClass(status, code, message, requestId);
}

function codeForStatus(status: number): string {
  const known: Record<number, FleetErrorCode> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'TOO_MANY_REQUESTS',
    500: 'INTERNAL_ERROR',
    503: 'UNAVAILABLE',
  };
  return known[status] ?? `HTTP_${status}`;
}

/** The fields of an `{"error":{…}}` body, or none. */
function errorFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
