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

/** Calls the API with the stored token (or the given one) and returns the parsed JSON body. */
export async function api<T>(
  method: 'GET' | 'PATCH',
  path: string,
  body?: unknown,
  token: string | null = tokenStore.get(),
): Promise<T> {
  // A relative /v1 path only: the token must never be sent anywhere but this control plane's API.
  if (!path.startsWith('/v1/')) throw new Error(`not an API path: ${path}`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The control plane does not answer.', '');
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): reported below with the HTTP status.
  }
  if (!response.ok) {
    const error = (data as ErrorBody | null)?.error ?? {};
    throw new ApiError(
      response.status,
      error.code || `HTTP ${response.status}`,
      error.message || response.statusText || 'The request failed.',
      error.requestId || '',
    );
  }
  return data as T;
}
