/** One request the fake fetch received. */
export interface FakeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: any;
  signal: AbortSignal | undefined;
  /** Fake-clock time when it was sent, if the test passed a clock. */
  at?: number;
}

/** What the control plane does with one request: answer, fail at the network level, or never answer. */
export type FakeAnswer = { status: number; body?: unknown } | { error: Error } | 'hang';

/** A refused TCP connection, as undici reports it. */
export function connectionRefused(): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
}

/**
 * A fetch that records every request and answers what `answer` says. A hanging request honours its abort
 * signal, as the real fetch does.
 */
export class FakeFetch {
  readonly requests: FakeRequest[] = [];
  answer: (request: FakeRequest) => FakeAnswer = () => ({ status: 200, body: { heartbeatIntervalMs: 2000 } });
  private readonly now: (() => number) | undefined;

  constructor(now?: () => number) {
    this.now = now;
  }

  readonly fetch: typeof fetch = (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const request: FakeRequest = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init?.signal ?? undefined,
      ...(this.now ? { at: this.now() } : {}),
    };
    this.requests.push(request);
    return new Promise<Response>((resolve, reject) => {
      const signal = request.signal;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      let answer: FakeAnswer;
      try {
        answer = this.answer(request);
      } catch (error) {
        return reject(error);
      }
      if (answer === 'hang') return;
      if ('error' in answer) return reject(answer.error);
      const text =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      resolve(new Response(text, { status: answer.status, headers: { 'content-type': 'application/json' } }));
    });
  };

  /** Bodies of the requests so far. */
  bodies(): any[] {
    return this.requests.map((request) => request.body);
  }
}
