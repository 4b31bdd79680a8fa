import { afterEach, describe, expect, it } from 'vitest';
import { testAdminToken } from './support/control-plane';
import { freePort, jsonLine, spawnTsx, type TsxProcess } from './support/processes';
import { tempDir } from './support/temp-dir';

/**
 * `pnpm start:edge` from its first listening moment: workerd opens its port before the D1 migrations have run,
 * and until they have, no request may fail with a 500 (a write would hit "no such table"). Polled as fast as
 * the answers come, from before the port opens until well after the start log line.
 */
let proc: TsxProcess | undefined;
const dir = tempDir();
afterEach(async () => {
  await proc?.kill();
  dir.remove();
});

describe('start:edge readiness', () => {
  it('never answers 500 while it starts: 503 until the schema is in place, then the API', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proc = spawnTsx('apps/control-plane/src/edge.ts', [], {
      PORT: String(port),
      FLEET_ADMIN_TOKEN: testAdminToken,
      FLEET_EDGE_STATE_DIR: dir.path,
    });
    const started = proc;
    let listening: number | undefined;
    void started
      .waitForLine((line) => jsonLine(line)?.message === 'control plane listening', 60_000)
      .then(() => {
        listening = Date.now();
      });
    const auth = { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' };
    const seen: { what: string; status: number; beforeLog: boolean }[] = [];
    let id = 0;
    const deadline = Date.now() + 60_000;
    while (listening === undefined || Date.now() < listening + 1500) {
      if (Date.now() > deadline || !started.alive)
        throw new Error(`start:edge did not start:\n${started.lines.join('\n')}`);
      const beforeLog = listening === undefined;
      const answers = await Promise.all([
        fetch(`${base}/healthz`).then((r) => ({ what: 'GET /healthz', status: r.status })),
        fetch(`${base}/v1/nodes`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ id: `n${id}`, uri: `ws://h:${id++}/kurento` }),
        }).then((r) => ({ what: 'POST /v1/nodes', status: r.status })),
        fetch(`${base}/v1/sessions`, { headers: auth }).then((r) => ({
          what: 'GET /v1/sessions',
          status: r.status,
        })),
      ]).catch(() => null);
      if (answers === null) {
        // Not listening yet: connection refused.
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      seen.push(...answers.map((answer) => ({ ...answer, beforeLog })));
    }
    const statuses = (what: string) =>
      [...new Set(seen.filter((s) => s.what === what).map((s) => s.status))].sort();
    expect(seen.filter((s) => s.status >= 500 && s.status !== 503)).toEqual([]);
    expect(statuses('GET /healthz')).toEqual(expect.arrayContaining([200]));
    expect(statuses('POST /v1/nodes')).toEqual(expect.arrayContaining([201]));
    for (const what of ['GET /healthz', 'POST /v1/nodes', 'GET /v1/sessions'])
      expect(
        statuses(what).every((status) => [200, 201, 503].includes(status)),
        what,
      ).toBe(true);
    // Once it says it listens, it is ready.
    expect(seen.filter((s) => !s.beforeLog && s.status === 503)).toEqual([]);
    console.info(
      `start:edge: ${seen.length} answers, ${seen.filter((s) => s.beforeLog).length} before the start log line, ` +
        `${seen.filter((s) => s.status === 503).length} of them 503`,
    );
  }, 90_000);
});
