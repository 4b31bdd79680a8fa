/**
 * The HTTP ceilings, on the same @hono/node-server as the control plane:
 * - `GET /`: a bare Hono hello-world route (no body to read);
 * - `POST /v1/sessions`: a bare Hono route that reads and parses the same JSON body as an assignment
 *   (`c.req.json()`, Hono's usual way) and answers a JSON object of the same shape and size as an assignment,
 *   with the status of a new one. No validation, no authentication, no database: what any endpoint that takes
 *   a JSON body costs on this stack, the fair ceiling of `POST /v1/sessions`.
 * The modules are loaded from the control plane's own dependencies (not a copy at the root), so both servers run
 * the very same versions; the minimal types below stand in for theirs, which the root cannot resolve.
 *
 *   PORT=0 node --import tsx test/bench/support/hello-server.ts
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

interface HelloContext {
  req: { json(): Promise<unknown> };
  text(body: string): Response;
  json(body: unknown, status?: number): Response;
}
type Handler = (c: HelloContext) => Response | Promise<Response>;
interface HonoApp {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
  fetch(request: Request): Response | Promise<Response>;
}
interface NodeServer {
  close(callback?: () => void): void;
}

const fromControlPlane = createRequire(new URL('../../../apps/control-plane/package.json', import.meta.url));
const load = async <T>(name: string): Promise<T> =>
  (await import(pathToFileURL(fromControlPlane.resolve(name)).href)) as T;

const { Hono } = await load<{ Hono: new () => HonoApp }>('hono');
const { serve } = await load<{
  serve(
    options: { fetch: HonoApp['fetch']; port: number; hostname: string },
    listening: (info: { port: number }) => void,
  ): NodeServer;
}>('@hono/node-server');

const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
app.post('/v1/sessions', async (c) => {
  const body = (await c.req.json()) as { sessionId?: unknown };
  return c.json(
    {
      sessionId: String(body.sessionId),
      nodeId: 'kms-3',
      kmsUri: 'ws://10.0.0.3:8888/kurento',
      assignedAt: new Date().toISOString(),
      reassigned: false,
    },
    201,
  );
});
const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' },
  (info) => {
    process.stdout.write(
      `${JSON.stringify({ message: 'hello listening', url: `http://127.0.0.1:${info.port}` })}\n`,
    );
  },
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
