/**
 * An answer of the control plane: the status and the body (parsed JSON, the text otherwise, null when empty).
 * `T` is what the caller expects on success, a type of @kurento-fleet/contract; an error answer has the
 * contract's ErrorBody instead, so a caller checks `status` before it reads fields.
 */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export type FleetApi = <T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => Promise<ApiAnswer<T>>;

/** One authenticated call to the control plane's HTTP API, as the tests, the demo and the benches make it. */
export function fleetApi(baseUrl: string, defaultToken: string): FleetApi {
  return async (method, path, body, token = defaultToken) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, body: text === '' ? null : json ? JSON.parse(text) : text };
  };
}
