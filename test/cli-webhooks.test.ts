import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, repoRoot, startControlPlane, testAdminToken } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { spawnTsx } from './support/processes';
import { tempDir } from './support/temp-dir';

/** `kurento-fleet webhooks …` and `kurento-fleet events --follow` as real processes against a real control plane. */

function fleet(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/cli/src/main.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('kurento-fleet webhooks and events --follow', () => {
  const dir = tempDir();
  let cp: ControlPlane;
  let receiver: WebhookReceiver;
  let env: Record<string, string>;

  beforeAll(async () => {
    cp = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
    });
    receiver = await startWebhookReceiver();
    env = { FLEET_URL: cp.url, FLEET_TOKEN: testAdminToken };
  });
  afterAll(async () => {
    await cp?.stop();
    await receiver?.close();
    dir.remove();
  });

  it('adds a webhook (its secret printed once), lists it, shows its deliveries and deletes it', async () => {
    const added = await fleet(
      ['webhooks', 'add', receiver.url, '--type', 'session.placed', '--description', 'rooms'],
      env,
    );
    expect(added, added.stderr).toMatchObject({ code: 0, stderr: '' });
    const id = /^id: +(wh_[0-9a-f]{16})$/m.exec(added.stdout)?.[1];
    expect(added.stdout).toMatch(/^secret: +whsec_\S+ +\(shown once\)$/m);
    expect(added.stdout).toMatch(/^types: +session\.placed$/m);
    const list = await fleet(['webhooks', 'list'], env);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +URL +TYPES +AFTER +FAILURES +RETRY AT +DESCRIPTION$/);
    expect(list.stdout).toContain(`${id}  ${receiver.url}  session.placed`);
    expect(list.stdout).not.toContain('whsec_');

    await addUpNodes(cp, { a: 1 });
    await placeInOrder(cp, ['room-1']);
    await receiver.waitFor((received) => received.length === 1, 10_000, 'the delivery');
    const log = await fleet(['webhooks', 'deliveries', id!, '--json'], env);
    expect(JSON.parse(log.stdout).deliveries).toEqual([
      expect.objectContaining({ type: 'session.placed', status: 'delivered', attempts: 1, lastStatus: 200 }),
    ]);
    const table = await fleet(['webhooks', 'deliveries', id!], env);
    expect(table.stdout).toMatch(/^\d+ +session\.placed +delivered +1 +200 /m);

    expect((await fleet(['webhooks', 'delete', id!], env)).stdout).toBe(`deleted webhook ${id}\n`);
    const again = await fleet(['webhooks', 'delete', id!], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/NOT_FOUND/);
    const bad = await fleet(['webhooks', 'add', 'ftp://x'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/url: must be an http:\/\/ or https:\/\/ URL/);
  });

  it('follows the events as they happen until Ctrl-C, one line each, or one JSON object a line', async () => {
    await addUpNodes(cp, { b: 1 });
    for (const json of [false, true]) {
      const follow = spawnTsx(
        'apps/cli/src/main.ts',
        ['events', '--follow', '--type', 'session.placed', ...(json ? ['--json'] : [])],
        env,
      );
      // The stream is open once the first placement after the start shows; place until one does.
      let i = 0;
      const shown = follow.waitForLine((line) => line.includes(`follow-${json}-`), 20_000);
      const placing = setInterval(
        () => void placeInOrder(cp, [`follow-${json}-${i++}`]).catch(() => {}),
        200,
      );
      const line = await shown.finally(() => clearInterval(placing));
      if (json)
        expect(JSON.parse(line)).toMatchObject({ type: 'session.placed', nodeId: expect.any(String) });
      else expect(line).toMatch(/^\S+Z +\d+ +session\.placed +follow-false-\d+ on [ab] +placed$/);
      follow.child.kill('SIGINT');
      const [code] = await once(follow.child, 'exit');
      expect(code).toBe(0);
    }
  });
});
