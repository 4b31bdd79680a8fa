/** One scripted answer of a {@link fakeFetch}: a response, a thrown error, or a fetch that never answers. */
export type Scripted =
  | { status: number; body?: unknown; text?: string; headers?: Record<string, string> }
  | { throws: unknown }
  | { hang: true };

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A fetch that answers from a script, in order, and records what it was asked. A hanging answer settles only
 * when the request is aborted, as the real fetch does.
 */
export function fakeFetch(script: Scripted[]): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    calls.push({
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const next = script.shift();
    if (!next) throw new Error(`fakeFetch: no answer scripted for call ${calls.length}`);
    if ('throws' in next) throw next.throws;
    if ('hang' in next) {
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const text = next.text ?? (next.body === undefined ? '' : JSON.stringify(next.body));
    return new Response(next.status === 204 ? null : text, { status: next.status, headers: next.headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** An undici-style network failure: "fetch failed" with the socket error as its cause. */
export function networkError(code: string): TypeError {
  const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
  return new TypeError('fetch failed', { cause });
}

/** The control plane's error body. */
export function errorBody(code: string, message = 'nope', requestId = 'req-1') {
  return { error: { code, message, requestId } };
}
