import { join } from 'node:path';
import type {
  Assignment,
  CreatedNode,
  CreatedToken,
  CreatedWebhook,
  NodeList,
} from '@kurento-fleet/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane, testAdminToken } from './support/control-plane';
import { tempDir } from './support/temp-dir';

const running: ControlPlane[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.kill();
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('tokens in logs', () => {
  it('never appear, whatever the requests, apart from the bootstrap token printed once on the first start', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const env = { FLEET_DB_PATH: join(dir.path, 'fleet.db'), FLEET_ADMIN_TOKEN: '' };
    const first = await startControlPlane(env);
    running.push(first);
    const printed = first.logs.filter((line) => typeof line.adminToken === 'string');
    expect(printed).toHaveLength(1);
    const bootstrap = String(printed[0]!.adminToken);

    const app = (
      await first.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'x' }, bootstrap)
    ).body.token;
    const created = await first.request<CreatedNode>(
      'POST',
      '/v1/nodes',
      { id: 'a', uri: 'ws://127.0.0.1:1/kurento' },
      bootstrap,
    );
    const agent = created.body.agentToken;
    // A webhook whose receiver is not there: its failures are logged, never its secret nor its URL's query.
    const hook = await first.request<CreatedWebhook>(
      'POST',
      '/v1/webhooks',
      { url: 'http://127.0.0.1:9/hook?key=receiver-secret-in-url' },
      bootstrap,
    );
    await first.request('POST', '/v1/nodes/a/heartbeat', { connected: true }, agent);
    await first.request<Assignment>('POST', '/v1/sessions', { sessionId: 'r' }, app);
    const wrong = `${app.slice(0, -6)}AAAAAA`;
    await first.request<NodeList>('GET', '/v1/nodes', undefined, wrong);
    await first.request('POST', '/v1/nodes/a/heartbeat', { connected: 'yes' }, agent);
    await first.request('GET', '/v1/tokens', undefined, testAdminToken);
    await first.process.waitForLine((line) => line.includes('webhook delivery failed'));
    expect(await first.stop()).toBe(0);

    const second = await startControlPlane(env);
    running.push(second);
    expect(second.logs.some((line) => 'adminToken' in line)).toBe(false);
    expect(await second.stop()).toBe(0);

    const all = [...first.process.lines, ...second.process.lines].join('\n');
    for (const secret of [app, agent, wrong]) expect(all).not.toContain(secret.slice(20));
    expect(all).not.toContain(hook.body.secret.slice(6));
    expect(all).not.toContain('receiver-secret-in-url');
    expect(all.split(bootstrap.slice(20)).length - 1).toBe(1);
  });
});
