import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assignment, CreatedNode, CreatedToken, NodeList } from '@kurento-fleet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, repoRoot, startControlPlane, testAdminToken } from './support/control-plane';
import { freePort } from './support/processes';
import { tempDir } from './support/temp-dir';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kurento-fleet` as a real process, as `pnpm fleet` does (node + tsx), and waits for its exit. */
function fleet(
  args: string[],
  env: Record<string, string> = {},
  entry = 'apps/cli/src/main.ts',
): Promise<Run> {
  const command = entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...command, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('kurento-fleet CLI against a real control plane', () => {
  const dir = tempDir();
  let cp: ControlPlane;
  let env: Record<string, string>;
  const admin = (args: string[], extra: Record<string, string> = {}) => fleet(args, { ...env, ...extra });
  const json = async (args: string[], extra: Record<string, string> = {}) => {
    const run = await admin([...args, '--json'], extra);
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(run.stdout);
  };
  const heartbeat = async (id: string, agentToken: string) => {
    const { status } = await cp.request('POST', `/v1/nodes/${id}/heartbeat`, { connected: true }, agentToken);
    expect(status).toBe(200);
  };

  beforeAll(async () => {
    // One heartbeat keeps a node up for the whole file.
    cp = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
    });
    env = { FLEET_URL: cp.url, FLEET_TOKEN: testAdminToken };
  });
  afterAll(async () => {
    await cp?.stop();
    dir.remove();
  });

  // Independent commands run side by side: each process costs a few hundred milliseconds to start.
  it('adds nodes and lists them as a table and as JSON', async () => {
    const [added, b] = await Promise.all([
      admin(['nodes', 'add', '--uri', 'ws://10.0.0.11:8888/kurento', '--id', 'a', '--weight', '5']),
      json(['nodes', 'add', '--uri', 'ws://10.0.0.12:8888/kurento', '--id', 'b', '--max-sessions', '40']),
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^id: +a$/m);
    const agentToken = /agent token \(shown once[^)]*\): (kf_\S+)/.exec(added.stdout)?.[1];
    expect(agentToken).toBeDefined();
    expect(b).toMatchObject({
      node: { id: 'b', maxSessions: 40 },
      agentToken: expect.stringMatching(/^kf_/),
    });
    await heartbeat('a', agentToken!);
    await heartbeat('b', b.agentToken);

    const [table, listed] = await Promise.all([admin(['nodes', 'list']), json(['nodes', 'list'])]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +URI +WEIGHT +STATE +HEALTH +SESSIONS +CPU +REGION +HEARTBEAT +ROTATION$/);
    expect(lines.slice(1).map((line) => line.split(/ +/).slice(0, 6))).toEqual([
      ['a', 'ws://10.0.0.11:8888/kurento', '5', 'active', 'up', '0'],
      ['b', 'ws://10.0.0.12:8888/kurento', '1', 'active', 'up', '0/40'],
    ]);
    expect(listed.nodes.map((node: { id: string }) => node.id)).toEqual(['a', 'b']);
  });

  it('places, shows, lists and releases sessions', async () => {
    const first = await json(['sessions', 'assign', 'room-1']);
    expect(first).toMatchObject({ created: true, assignment: { sessionId: 'room-1', nodeId: 'a' } });
    const [again] = await Promise.all([
      admin(['sessions', 'assign', 'room-1']),
      json(['sessions', 'assign', 'room-2', '--node', 'b']),
    ]);
    expect(again.stdout).toMatch(/^outcome: +existing$/m);

    const [got, page, all] = await Promise.all([
      admin(['sessions', 'get', 'room-2']),
      admin(['sessions', 'list', '--limit', '1']),
      json(['sessions', 'list', '--all', '--limit', '1']),
    ]);
    expect(got.stdout).toMatch(/^node: +b$/m);
    expect(page.stdout.split('\n')[1]).toMatch(/^room-1 +a +ws:\/\/10.0.0.11:8888\/kurento/);
    expect(page.stderr).toMatch(/^more: kurento-fleet sessions list --limit 1 --cursor \S+ \(or --all\)$/m);
    expect(all.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['room-1', 'room-2']);

    expect(await admin(['sessions', 'release', 'room-1'])).toMatchObject({
      code: 0,
      stdout: 'released session room-1\n',
    });
    const gone = await admin(['sessions', 'get', 'room-1']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: .+ \(NOT_FOUND, request [\w-]+\)\n$/);
  });

  it('changes weights and states, and refuses to remove a node that holds sessions unless forced', async () => {
    const [weights, drained, events] = await Promise.all([
      json(['weights', 'set', 'a=3', 'b=2']),
      json(['nodes', 'drain', 'b']),
      json(['events', '--node', 'a', '--type', 'node.up,node.down']),
    ]);
    expect(weights.nodes.map((node: { weight: number }) => node.weight)).toEqual([3, 2]);
    expect(drained).toMatchObject({ id: 'b', state: 'draining' });
    expect(events.events.map((event: { type: string }) => event.type)).toEqual(['node.up']);
    const updated = await json([
      'nodes',
      'update',
      'b',
      '--state',
      'active',
      '--region',
      'eu',
      '--label',
      'k=v',
    ]);
    expect(updated).toMatchObject({ state: 'active', region: 'eu', labels: { k: 'v' } });

    const refused = await admin(['nodes', 'remove', 'b']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(CONFLICT, request [\w-]+\)\nhint: .+ --force. removes it/);
    expect(await admin(['nodes', 'remove', 'b', '--force'])).toMatchObject({
      code: 0,
      stdout: 'removed node b\n',
    });
  });

  it('creates, uses and revokes an app token; a wrong token exits 1 with UNAUTHORIZED', async () => {
    const created = await json(['tokens', 'create', '--role', 'app', '--name', 'web']);
    expect(created).toMatchObject({ role: 'app', name: 'web', token: expect.stringMatching(/^kf_/) });
    const asApp = { FLEET_TOKEN: created.token };
    const [listed, allowed, forbidden, wrong] = await Promise.all([
      admin(['tokens', 'list']),
      admin(['sessions', 'list'], asApp),
      admin(['nodes', 'list'], asApp),
      admin(['nodes', 'list', '--token', 'not-a-real-token']),
    ]);
    expect(listed.stdout).toMatch(new RegExp(`^${created.id} +app +web +`, 'm'));
    expect(allowed.code).toBe(0);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/\(FORBIDDEN, request [\w-]+\)\n$/);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toMatch(/^error: .+ \(UNAUTHORIZED, request [\w-]+\)\n$/);

    expect((await admin(['tokens', 'revoke', created.id])).code).toBe(0);
    const revoked = await admin(['sessions', 'list'], asApp);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/\(UNAUTHORIZED, request [\w-]+\)\n$/);
  });

  it('imports OpenVidu’s KMS_URIS and KMS_WEIGHT from an env file, skipping what exists on a second run', async () => {
    const envFile = join(dir.path, 'openvidu.env');
    writeFileSync(
      envFile,
      [
        '# OpenVidu',
        'OPENVIDU_SECRET=MY_SECRET',
        'KMS_URIS=["ws://10.0.0.11:8888/kurento","ws://10.0.1.1:8888/kurento","ws://10.0.1.2:8888/kurento"]',
        'KMS_WEIGHT=[4,2,1]',
      ].join('\n'),
    );
    const dry = await json(['import-openvidu', '--env-file', envFile, '--dry-run']);
    expect(dry.nodes.map((node: { id: string; action: string }) => [node.id, node.action])).toEqual([
      ['a', 'set weight'],
      ['kms-10-0-1-1', 'create'],
      ['kms-10-0-1-2', 'create'],
    ]);

    const run = await admin(['import-openvidu', '--env-file', envFile]);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n');
    expect(rows[1]).toMatch(/^a +ws:\/\/10.0.0.11:8888\/kurento +4 +already registered; weight set$/);
    expect(rows[2]).toMatch(/^kms-10-0-1-1 +ws:\/\/10.0.1.1:8888\/kurento +2 +created$/);
    expect(run.stdout).toMatch(/^kms-10-0-1-2 +kf_\S+$/m);
    const nodes = (await cp.request<NodeList>('GET', '/v1/nodes')).body.nodes;
    expect(nodes.map((node: { id: string; weight: number }) => [node.id, node.weight])).toEqual([
      ['a', 4],
      ['kms-10-0-1-1', 2],
      ['kms-10-0-1-2', 1],
    ]);

    const second = await json(['import-openvidu', '--env-file', envFile]);
    expect(second.created).toEqual([]);
    expect(second.skipped.map((skip: { id: string }) => skip.id)).toEqual([
      'a',
      'kms-10-0-1-1',
      'kms-10-0-1-2',
    ]);
  });

  it('exits 2 on usage errors, 1 when the control plane is unreachable', async () => {
    const [unknown, missing, noToken, down] = await Promise.all([
      admin(['nodes', 'add', '--uri', 'ws://x:8888/kurento', '--wieght', '3']),
      admin(['nodes', 'get']),
      fleet(['nodes', 'list'], { FLEET_URL: cp.url, FLEET_TOKEN: '' }),
      freePort().then((port) => admin(['nodes', 'get', 'a', '--url', `http://127.0.0.1:${port}`])),
    ]);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(
      /^error: Unknown option '--wieght'\nusage: kurento-fleet nodes add --uri U/,
    );
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toMatch(/^error: missing ID\n/);
    expect(noToken.code).toBe(2);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^error: cannot reach the control plane at http:\/\/127.0.0.1:\d+: fetch failed/,
    );
  });

  it('runs through its package bin, which the workspace links as `kurento-fleet`', async () => {
    const help = await fleet(['--', 'nodes', '--help'], {}, 'apps/cli/bin/kurento-fleet.js');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('nodes rotate-token ID');
  });
});

describe('kurento-fleet CLI: the placement policy, against a real control plane', () => {
  const dir = tempDir();
  let cp: ControlPlane;
  let env: Record<string, string>;
  const admin = (args: string[], extra: Record<string, string> = {}) => fleet(args, { ...env, ...extra });

  beforeAll(async () => {
    // A ramp of ten minutes: every node that comes up in this test is still ramping at its end.
    cp = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
      FLEET_SLOW_START_MS: '600000',
      FLEET_MAX_CPU_PERCENT: '80',
    });
    env = { FLEET_URL: cp.url, FLEET_TOKEN: testAdminToken };
    const weights = { a: 10, b: 1, c: 1, d: 2 };
    // CPU per core, as the guard reads it: b is over the limit.
    const perCore = { a: 10, b: 90, c: 20, d: 30 };
    for (const [id, weight] of Object.entries(weights)) {
      const created = await cp.request<CreatedNode>('POST', '/v1/nodes', {
        id,
        uri: `ws://10.0.0.${weight}/${id}`,
        weight,
      });
      const kms = {
        version: '7.3.0',
        cpuCount: 2,
        usedCpuPercent: 2 * perCore[id as keyof typeof perCore],
        usedMemoryKiB: 1024,
        pipelines: 0,
      };
      const beat = await cp.request(
        'POST',
        `/v1/nodes/${id}/heartbeat`,
        { connected: true, kms },
        created.body.agentToken,
      );
      expect(beat.status).toBe(200);
    }
  });
  afterAll(async () => {
    await cp?.stop();
    dir.remove();
  });

  it('reports a failure and reads the topology with an app token', async () => {
    const { body: app } = await cp.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'cli' });
    const asApp = { FLEET_TOKEN: app.token };
    const reported = await admin(['nodes', 'report-failure', 'c', '--reason', 'connect ECONNREFUSED'], asApp);
    expect(reported, reported.stderr).toMatchObject({ code: 0, stderr: '' });
    const until = /^node c ejected until (\S+)\n$/.exec(reported.stdout)?.[1];
    expect(Date.parse(until ?? '') - Date.now()).toBeGreaterThan(20_000);

    const [table, json, missing] = await Promise.all([
      admin(['topology'], asApp),
      admin(['topology', '--json'], asApp),
      admin(['nodes', 'report-failure', 'c']),
    ]);
    expect(table.stdout.split('\n').slice(0, 4)).toEqual([
      'ID  URI               STATE   HEALTH  EJECTED UNTIL',
      'a   ws://10.0.0.10/a  active  up      -',
      'b   ws://10.0.0.1/b   active  up      -',
      `c   ws://10.0.0.1/c   active  up      ${until}`,
    ]);
    expect(JSON.parse(json.stdout)).toEqual((await cp.request('GET', '/v1/topology')).body);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toMatch(/^error: missing --reason\n/);
  });

  it('shows each node’s place in the rotation: ramping, CPU-guarded, ejected', async () => {
    const listed = await admin(['nodes', 'list']);
    expect(listed, listed.stderr).toMatchObject({ code: 0, stderr: '' });
    const rotation = listed.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => [line.split(/ +/)[0], line.split(/ {2,}/).at(-1)]);
    expect(rotation).toEqual([
      ['a', 'ramp 1/10'],
      ['b', 'cpu 90% ≥ 80%'],
      ['c', expect.stringMatching(/^ejected until \d\d:\d\d:\d\dZ$/)],
      ['d', 'ramp 1/2'],
    ]);
    const node = await admin(['nodes', 'get', 'c']);
    expect(node.stdout).toMatch(/^ejected until: +\d{4}-\d\d-\d\dT/m);
  });

  it('previews the next placements, which then happen as shown', async () => {
    const [preview, json, policy, bad] = await Promise.all([
      admin(['placements', 'preview', '6']),
      admin(['placements', 'preview', '6', '--json']),
      admin(['placements', 'policy']),
      admin(['placements', 'preview', 'ten']),
    ]);
    const expected = JSON.parse(json.stdout);
    expect(expected.nodeIds).toHaveLength(6);
    expect(preview.stdout.split('\n')).toEqual([
      `next 6: ${expected.nodeIds.join(' ')}`,
      '',
      'NODE  NEXT PICK         WEIGHT  EFFECTIVE  CURRENT',
      'a     in                10      1          0',
      'd     in                2       1          0',
      'b     skipped: cpu      -       -          -',
      'c     skipped: ejected  -       -          -',
      '',
    ]);
    const placed: string[] = [];
    for (let i = 0; i < 6; i++)
      placed.push((await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: `p${i}` })).body.nodeId);
    expect(placed).toEqual(expected.nodeIds);
    expect(policy.stdout).toMatch(/^cpu guard: +skip nodes at or above 80% while others are below$/m);
    expect(policy.stdout).toMatch(/^slow start: +a node that comes up ramps to its weight over 600 s$/m);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toMatch(/^error: N must be an integer from 1 to 1000, not 'ten'\n/);
  });
});
