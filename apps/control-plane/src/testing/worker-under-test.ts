import { createWorker, type WorkerEnv } from '../worker';

/**
 * The production Worker with the test harness's fake clock: every request carries the clock's reading in
 * `x-test-now`, so route tests step over heartbeat timeouts in workerd exactly as on Node. Test-only: it is
 * bundled by the harness, never by `start:edge` or a deployment.
 */
let now = 0;
const worker = createWorker({ now: () => now });

export default {
  async fetch(request: Request, env: WorkerEnv) {
    now = Number(request.headers.get('x-test-now') ?? Date.now());
    if (new URL(request.url).pathname === '/__test/sweep') {
      await worker.scheduled(undefined, env);
      return new Response(null, { status: 204 });
    }
    return worker.fetch(request, env);
  },
};
