import { backoffDelay } from '@kurento-fleet/kurento';
import { apiError, FleetClientError, FleetUnavailableError } from './errors';
import { describeFetchError } from './fetch-error';
import { type AttemptFailure, isRetryable, type RetryOptions, requestNotSent, retryPolicy } from './retry';

/** Everything a request needs, fixed when the client is made. */
export interface TransportConfig {
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  retry: Required<RetryOptions>;
  timeoutMs: number;
  /** Seams for tests: the jitter and the wait between attempts. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function transportConfig(options: {
  url: string;
  token: string;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  timeoutMs?: number;
}): TransportConfig {
  return {
    baseUrl: options.url.replace(/\/+$/, ''),
    token: options.token,
    fetch: options.fetch ?? globalThis.fetch,
    retry: retryPolicy(options.retry),
    timeoutMs: options.timeoutMs ?? 10_000,
  };
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Safe to send twice (see isRetryable). */
  idempotent: boolean;
}

export interface HttpResult<T> {
  status: number;
  body: T;
}

type Attempt<T> = { ok: true; result: HttpResult<T> } | { ok: false; failure: AttemptFailure; error: Error };

/** Sends one API call, retrying what may be retried; throws a typed error for anything but a 2xx. */
export async function send<T>(config: TransportConfig, spec: RequestSpec): Promise<HttpResult<T>> {
  const { attempts } = config.retry;
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let ambiguous = false;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await attemptOnce<T>(config, spec);
    if (outcome.ok) return outcome.result;
    // A DELETE whose earlier attempt may have gone through finds nothing left to delete: that is its success.
    if (spec.method === 'DELETE' && ambiguous && isStatus(outcome.failure, 404)) {
      return { status: 204, body: undefined as T };
    }
    if (attempt >= attempts || !isRetryable(outcome.failure, spec.idempotent)) throw outcome.error;
    ambiguous ||= outcome.failure.kind !== 'status' || outcome.failure.status !== 503;
    // Equal jitter, so that app servers that failed together do not come back in lockstep.
    const { initialDelayMs: initialMs, maxDelayMs: maxMs } = config.retry;
    await sleep(backoffDelay(attempt, { initialMs, maxMs }, config.random));
  }
}

async function attemptOnce<T>(config: TransportConfig, spec: RequestSpec): Promise<Attempt<T>> {
  const url = requestUrl(config.baseUrl, spec);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  try {
    const response = await config.fetch(url, {
      method: spec.method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${config.token}`,
        ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: controller.signal,
    });
    // The body is read under the same deadline: a server can stall after its headers.
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok) {
      if (body === invalid) throw new FleetClientError(`${spec.method} ${spec.path}: the answer is not JSON`);
      return { ok: true, result: { status: response.status, body: body as T } };
    }
    const error = apiError(response.status, body === invalid ? undefined : body, response.headers);
    return { ok: false, failure: { kind: 'status', status: response.status }, error };
  } catch (error) {
    if (error instanceof FleetClientError) throw error;
    if (timedOut) {
      const message = `${spec.method} ${url}: no answer within ${config.timeoutMs} ms`;
      return {
        ok: false,
        failure: { kind: 'timeout' },
        error: new FleetUnavailableError(message, 'timeout'),
      };
    }
    const sent = !requestNotSent(error);
    const message = `cannot reach the control plane at ${config.baseUrl}: ${describeFetchError(error)}`;
    return {
      ok: false,
      failure: { kind: 'network', sent },
      error: new FleetUnavailableError(message, 'network', error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The URL of a request: the base, the path, and the query's defined values. */
export function requestUrl(baseUrl: string, spec: Pick<RequestSpec, 'path' | 'query'>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(spec.query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const query = params.toString();
  return `${baseUrl}${spec.path}${query ? `?${query}` : ''}`;
}

const invalid = Symbol('invalid JSON');

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return invalid;
  }
}

function isStatus(failure: AttemptFailure, status: number): boolean {
  return failure.kind === 'status' && failure.status === status;
}
