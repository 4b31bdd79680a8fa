import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { dbEnv, openStoredDb } from './support/stored-db';
import { tempDir } from './support/temp-dir';

const running: ControlPlane[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.kill();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function start(runtime: Runtime, dir: string) {
  const cp = await startControlPlane(
    { ...dbEnv(runtime, dir), FLEET_HEARTBEAT_TIMEOUT_MS: '600000' },
    runtime,
  );
  running.push(cp);
  return cp;
}

describe.each(['node', 'edge'] as const)('control plane restarts (%s)', (runtime) => {
  it.each(['stop', 'kill'] as const)(
    'continues the SWRR sequence and keeps every assignment across a %s',
    async (how) => {
      const dir = tempDir();
      dirs.push(dir);
      const first = await start(runtime, dir.path);
      await addUpNodes(first, { a: 5, b: 1, c: 1 });
      const before = await placeInOrder(first, ['s0', 's1', 's2']);
      if (how === 'stop') expect(await first.stop()).toBe(0);
      else await first.kill();

      const second = await start(runtime, dir.path);
      const after = await placeInOrder(second, ['s3', 's4', 's5', 's6']);
      expect([...before, ...after]).toEqual('a a b a c a a'.split(' '));
      for (const [i, node] of before.entries()) {
        expect((await second.request('POST', '/v1/sessions', { sessionId: `s${i}` })).body).toMatchObject({
          nodeId: node,
          reassigned: false,
        });
      }
      expect(await second.stop()).toBe(0);
      const db = openStoredDb(runtime, dir.path);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    },
  );

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const cp = await start(runtime, dir.path);
    expect((await cp.request('GET', '/healthz')).status).toBe(200);
    expect(await cp.stop()).toBe(0);
    expect(cp.logs.some((line) => line.message === 'stopping')).toBe(true);
  });
});
