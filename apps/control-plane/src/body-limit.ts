import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';

/** Request bodies above this are refused before they are read: the largest legal body is far smaller. */
export const maxBodyBytes = 1024 * 1024;

export interface BodyLimit {
  /** The largest body a request may carry. */
  maxBytes: number;
  /**
   * A body over the limit but at most this large is read to its end and thrown away before the 413 leaves, so
   * that the connection stays usable for the client's next request; a larger one is answered at once, with
   * `Connection: close`.
   */
  drainBytes: number;
  /** After a 413 with `Connection: close`, how much of the body is still read away, and for how long. */
  lingerBytes: number;
  lingerMs: number;
  /** The 413 answer (the error shape); the middleware adds `Connection: close` when the body was not read. */
  tooLarge: (c: Context<AppEnv>) => Response | Promise<Response>;
}

/**
 * Refuses bodies over `maxBytes` with 413, without ever holding more than `maxBytes` of one.
 *
 * A request that declares its Content-Length (and is not chunked) is judged by that header alone: Node's HTTP
 * parser never delivers more bytes than it declares, and reading nothing keeps @hono/node-server on its fast
 * path (reading `c.req.raw.body` turns its lightweight request into a full undici Request with a web stream: a
 * third of the HTTP-side CPU of an assignment, profiled in bench/RESULTS.md). Nor are GET and HEAD requests
 * without either header: they carry no body.
 *
 * Keep-alive: HTTP/1.1 sends the next request on the same connection right after this one's body, so a 413
 * must not leave the body in the connection (on @hono/node-server the connection then dies half a second later,
 * under the client's next request). A body of at most `drainBytes` (a client's mistake, such as a few times too
 * many labels) costs less to read away than a new connection: it is discarded, then the 413 goes out and the
 * connection stays usable. A larger one gets its 413 at once with `Connection: close`, and the body is read away
 * behind the answer for a bounded time (a lingering close, as nginx does): closing a socket that still has
 * unread bytes sends a TCP reset, and a client still uploading would lose the answer (measured: 2 of 20
 * uploads of 20 MiB got a reset and no 413 before this). A slow sender cannot hold either drain open for long: Node's
 * request timeout bounds the whole request (FLEET_HTTP_REQUEST_TIMEOUT_MS), the linger its own time.
 */
export function limitBody(limit: BodyLimit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const length = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (!chunked && length !== undefined) {
      const declared = Number(length);
      if (declared <= limit.maxBytes) return next();
      if (declared <= limit.drainBytes && (await discard(c.req.raw.body, limit.drainBytes)))
        return limit.tooLarge(c);
      return lingering(await limit.tooLarge(c), c.req.raw.body, limit);
    }
    if (!chunked && (c.req.method === 'GET' || c.req.method === 'HEAD')) return next();
    // Chunked, or a body of unknown length (HTTP/2 at the edge, an in-process request): count the bytes as they
    // come, keeping at most maxBytes, and hand the handler what was read.
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit.maxBytes) {
        reader.releaseLock();
        if (await discard(body, limit.drainBytes - size)) return limit.tooLarge(c);
        return lingering(await limit.tooLarge(c), body, limit);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
    return next();
  };
}

/**
 * The answer with `Connection: close`, sent at once, its stream held open while the rest of the request body is
 * read away (at most `lingerBytes`, for at most `lingerMs`): the connection closes after both.
 */
async function lingering(answer: Response, body: ReadableStream<Uint8Array> | null, limit: BodyLimit) {
  const bytes = new Uint8Array(await answer.arrayBuffer());
  const headers = new Headers(answer.headers);
  headers.set('connection', 'close');
  headers.set('content-length', String(bytes.byteLength));
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(bytes),
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), limit.lingerMs);
      });
      await Promise.race([discard(body, limit.lingerBytes), expired]);
      clearTimeout(timer);
      controller.close();
    },
  });
  return new Response(stream, { status: answer.status, headers });
}

/** Reads a body to its end, throwing it away; false when more than `budget` bytes were left (then it stops). */
async function discard(body: ReadableStream<Uint8Array> | null, budget: number): Promise<boolean> {
  if (!body) return true;
  const reader = body.getReader();
  let left = budget;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      left -= value.byteLength;
      if (left < 0) return false;
    }
  } catch {
    // The client went away mid-body: there is no connection left to keep.
    return false;
  } finally {
    reader.releaseLock();
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}
