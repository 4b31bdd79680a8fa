import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context';

/**
 * hono's bodyLimit, minus its cost on the common request. hono's version first reads `c.req.raw.body`, and on
 * @hono/node-server that getter turns the lightweight request into a full undici Request with a web
 * ReadableStream and an AbortSignal, and takes the later `c.req.json()` off its direct-read fast path: a
 * third of the HTTP-side CPU of an assignment (profiled, see bench/RESULTS.md). A request that declares its
 * Content-Length (and is not chunked) is judged by that header alone, which is all hono does for it too; Node's
 * HTTP parser never delivers more bytes than it declares. Chunked bodies still go through hono's counting.
 */
export function limitBody(options: Parameters<typeof bodyLimit>[0]): MiddlewareHandler<AppEnv> {
  const counting = bodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('content-length');
    // Too large, chunked or undeclared: hono's middleware decides (and answers through options.onError).
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return counting(c, next);
    return next();
  };
}
