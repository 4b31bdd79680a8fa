/**
 * The admin token and calls to the /v1 API. The token lives in sessionStorage only (gone when the tab closes,
 * never in a cookie or URL) and leaves the page only as the Authorization header of a same-origin /v1 request.
 */
const TOKEN_KEY = 'kurento-fleet.admin-token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** An API refusal ({"error":{"code","message","requestId"}}), or status 0 when the server did not answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string;

  constructor(status: number, code: string, message: string, requestId: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }

  /** The message, with what an operator needs to find the request in the server's log. */
  describe(): string {
    const details = [this.code, this.requestId && `request ${this.requestId}`].filter(Boolean).join(', ');
    return details ? `${this.message} (${details})` : this.message;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string };
}

/** The request headers of a /v1 call: the token, only ever as the Authorization header of this origin's API. */
function apiHeaders(
  path: string,
  token: string | null,
  extra: Record<string, string>,
): Record<string, string> {
  // A relative /v1 path only: the token must never be sent anywhere but this control plane's API.
  if (!path.startsWith('/v1/')) throw new Error(`not an API path: ${path}`);
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

const requestDefaults = { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' } as const;

/** The body as JSON, or null when there is none or it is not JSON (a proxy's error page). */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** An ApiError from a refused answer's body ({"error":{…}}), or from its status when the body is not ours. */
function refusal(response: Response, text: string): ApiError {
  const error = (parseJson(text) as ErrorBody | null)?.error ?? {};
  return new ApiError(
    response.status,
    error.code || `HTTP ${response.status}`,
    error.message || response.statusText || 'The request failed.',
    error.requestId || '',
  );
}

/** Calls the API with the stored token (or the given one) and returns the parsed JSON body. */
export async function api<T>(
  method: 'GET' | 'PATCH',
  path: string,
  body?: unknown,
  token: string | null = tokenStore.get(),
): Promise<T> {
  const headers = apiHeaders(path, token, { accept: 'application/json' });
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      ...requestDefaults,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The control plane does not answer.', '');
  }
  const text = await response.text();
  if (!response.ok) throw refusal(response, text);
  return parseJson(text) as T;
}

/**
 * Opens a text/event-stream of the API with the stored token, resuming after `lastEventId`; resolves with the
 * response once its headers arrive (its body is the stream), or throws an ApiError for a refusal.
 */
export async function openStream(path: string, lastEventId: string, signal: AbortSignal): Promise<Response> {
  const headers = apiHeaders(path, tokenStore.get(), {
    accept: 'text/event-stream',
    'last-event-id': lastEventId,
  });
  let response: Response;
  try {
    response = await fetch(path, { method: 'GET', headers, signal, ...requestDefaults });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The control plane does not answer.', '');
  }
  if (!response.ok) throw refusal(response, await response.text());
  return response;
}
