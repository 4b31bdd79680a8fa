import { createWorker, type WorkerContext, type WorkerEnv } from '../worker';

/**
 * The production Worker with the test harness's fake clock: every request carries the clock's reading in
 * `x-test-now`, so route tests step over heartbeat timeouts in workerd exactly as on Node. Webhooks are
 * delivered only when a test asks (`/__test/deliver`, or the cron's `/__test/sweep`), never behind its back.
 * Test-only: it is bundled by the harness, never by `start:edge` or a deployment.
 */
let now = 0;
const worker = createWorker({ now: () => now, deliverAfterRequests: false });

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext) {
    now = Number(request.headers.get('x-test-now') ?? Date.now());
    const path = new URL(request.url).pathname;
    if (path === '/__test/sweep') {
      await worker.scheduled(undefined, env);
      return new Response(null, { status: 204 });
    }
    if (path === '/__test/deliver') {
      await worker.deliver(env);
      return new Response(null, { status: 204 });
    }
    return worker.fetch(request, env, ctx);
  },
};
