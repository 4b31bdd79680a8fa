/**
 * The HTTP ceiling: a bare Hono hello-world route on the same @hono/node-server as the control plane. The
 * modules are loaded from the control plane's own dependencies (not a copy at the root), so both servers run
 * the very same versions; the minimal types below stand in for theirs, which the root cannot resolve.
 *
 *   PORT=0 node --import tsx test/bench/support/hello-server.ts
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

interface HelloContext {
  text(body: string): Response;
}
interface HonoApp {
  get(path: string, handler: (c: HelloContext) => Response): void;
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
const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' },
  (info) => {
    process.stdout.write(
      `${JSON.stringify({ message: 'hello listening', url: `http://127.0.0.1:${info.port}` })}\n`,
    );
  },
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
