import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane } from './support/control-plane';
import { addUpNodes } from './support/fleet';
import { dbEnv } from './support/stored-db';
import { tempDir } from './support/temp-dir';

/**
 * A real scrape of each runtime, checked by Prometheus's own linter (`promtool check metrics`, Debian package
 * `prometheus`, installed by `.ci/run`): names, types, units, HELP lines and label sets as Prometheus wants
 * them. The scrape follows traffic of every outcome, so that every series is present.
 */
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => {
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (!promtool)
  console.warn('metrics-promtool.test.ts: promtool is missing (apt-get install prometheus); skipped');

const running: ControlPlane[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.kill();
  for (const dir of dirs.splice(0)) dir.remove();
});

describe.skipIf(!promtool).each(['node', 'edge'] as const)(
  'GET /metrics of the %s entry',
  (runtime: Runtime) => {
    it('passes promtool check metrics, with CPU as a 0–1 ratio and no empty node label', async () => {
      const dir = tempDir();
      dirs.push(dir);
      const cp = await startControlPlane(dbEnv(runtime, dir.path), runtime);
      running.push(cp);
      const tokens = await addUpNodes(cp, { a: 1, b: 1 });
      const kms = { version: '7.3.0', cpuCount: 4, usedCpuPercent: 150, usedMemoryKiB: 2048, pipelines: 2 };
      await cp.request('POST', '/v1/nodes/a/heartbeat', { connected: true, kms }, tokens.a);
      expect((await cp.request('POST', '/v1/sessions', { sessionId: 's1' })).status).toBe(201);
      expect((await cp.request('POST', '/v1/sessions', { sessionId: 's1' })).status).toBe(200);
      for (const id of ['a', 'b'])
        await cp.request('POST', `/v1/nodes/${id}/heartbeat`, { connected: false }, tokens[id]);
      expect((await cp.request('POST', '/v1/sessions', { sessionId: 's2' })).status).toBe(503);
      expect((await cp.request('GET', '/v1/nodes', undefined, 'wrong-token')).status).toBe(401);

      const scrape = await cp.request('GET', '/metrics');
      expect(scrape.status).toBe(200);
      const text = String(scrape.body);
      const lint = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(`${lint.stdout}${lint.stderr}`).toBe('');
      expect(lint.status).toBe(0);

      expect(text).toContain('fleet_node_kms_cpu_usage_ratio{node="a"} 0.375');
      expect(text).not.toContain('node=""');
      if (runtime === 'node') {
        expect(text).toContain('fleet_assignments_total{outcome="refused"} 1');
        expect(text).toContain('nodejs_active_handles{');
      }
    });
  },
);
