/** An answer of the control plane: the status and the body (parsed JSON, the text otherwise, null when empty). */
// biome-ignore lint/suspicious/noExplicitAny: tests and scripts read fields of the answers they expect
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export type FleetApi = <T = any>(
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
