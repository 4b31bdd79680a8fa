import { Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The client socket's local port: two answers with the same port came over one connection. */
  localPort: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent with a Content-Length; an array is sent chunked, one write per element. */
  body?: Buffer | Buffer[];
  /** The client address to connect from (any 127.0.0.0/8 address works on Linux), for tests about clients. */
  localAddress?: string;
}

/**
 * A node:http client at the level tests about connections need: a keep-alive agent with one socket (so that
 * consecutive requests reuse one connection when the server allows it), raw headers, chunked bodies, and the
 * local port of the answer. The global fetch hides all of that.
 */
export function rawClient(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    agent,
    send(options: RawRequest): Promise<RawAnswer> {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { ...options.headers };
        if (Buffer.isBuffer(options.body)) headers['content-length'] = options.body.length;
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: options.method ?? 'GET',
            path: options.path,
            headers,
            agent,
            ...(options.localAddress ? { localAddress: options.localAddress } : {}),
          },
          (res) => {
            const localPort = res.socket?.localPort ?? 0;
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, localPort }),
            );
          },
        );
        // A server that answers before the body is sent and closes may reset the rest of the upload: the answer
        // already came (resolve wins), so only an error before it fails the request.
        req.on('error', reject);
        if (Array.isArray(options.body)) for (const chunk of options.body) req.write(chunk);
        else if (options.body) req.write(options.body);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
