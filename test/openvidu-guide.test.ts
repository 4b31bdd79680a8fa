import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreatedToken, NodeList } from '@kurento-fleet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, repoRoot, startControlPlane, testAdminToken } from './support/control-plane';
import { jsonLine, spawnTsx } from './support/processes';
import { tempDir } from './support/temp-dir';

/**
 * docs/openvidu.md against the real control plane: its shell examples run as a reader would run them, the gateway
 * starts from its command and settings, and the HTTP surface its Java sketch relies on (paths, fields, error
 * shape) is the one the server documents.
 */
const guide = readFileSync(join(repoRoot, 'docs/openvidu.md'), 'utf8');
const blocks = (language: string) =>
  [...guide.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (match) => match[1] ?? '',
  );

describe('the OpenVidu integration guide', () => {
  const dir = tempDir('fleet-guide-');
  let cp: ControlPlane;
  let spec: any;

  beforeAll(async () => {
    cp = await startControlPlane({ FLEET_DB_PATH: join(dir.path, 'fleet.db') });
    spec = await (await fetch(`${cp.url}/openapi.json`)).json();
  });
  afterAll(async () => {
    await cp?.stop();
    dir.remove();
  });

  it('runs its curl examples, in order, against a control plane: nodes a, b, c of KMS_WEIGHT 5,1,1', async () => {
    // The reader fills in the placeholders (kf_…) and runs `pnpm fleet`, the agent or the demo elsewhere.
    const runnable = blocks('sh').filter((block) => block.includes('curl') && !block.includes('pnpm@'));
    expect(runnable.length).toBeGreaterThanOrEqual(3);
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', runnable.join('\n')], {
      encoding: 'utf8',
      env: { ...process.env, FLEET_URL: cp.url, FLEET_TOKEN: testAdminToken },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('"error"');
    expect(result.stdout).toContain('"role":"app"');
    const { body } = await cp.request<NodeList>('GET', '/v1/nodes');
    // Section 6 drains b and makes it active again.
    expect(body.nodes.map((n: any) => [n.id, n.uri, n.weight, n.state])).toEqual([
      ['a', 'ws://10.0.0.11:8888/kurento', 5, 'active'],
      ['b', 'ws://10.0.0.12:8888/kurento', 1, 'active'],
      ['c', 'ws://10.0.0.13:8888/kurento', 1, 'active'],
    ]);
    expect(result.stdout).toContain('"state":"draining"');
  });

  it('names only endpoints that exist', () => {
    const named = [
      ...guide.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/v1\/[\w/{}-]+|\/metrics|\/docs)/g),
    ].map((match) => [match[1]!.toLowerCase(), match[2]!.replace(/\/(a|b|c)$/, '/{id}')] as const);
    expect(named.length).toBeGreaterThan(5);
    for (const [method, path] of named) {
      if (path === '/docs') continue; // the reference page itself, not part of the document
      const documented = spec.paths[path] ?? spec.paths[path.replace('{id}', '{sessionId}')];
      expect(documented?.[method], `${method} ${path}`).toBeDefined();
    }
  });

  it("reads the answers' fields as the API names them", () => {
    const java = blocks('java').join('\n');
    const fieldsOf = (className: string) => {
      const body = new RegExp(`class ${className} [^{]*\\{([\\s\\S]*?)\\n\\t\\}`).exec(java)?.[1] ?? '';
      return [...body.matchAll(/public (?:String|boolean) (\w+);/g)].map((match) => match[1]).sort();
    };
    const schemas = spec.components.schemas;
    expect(fieldsOf('Assignment')).toEqual(Object.keys(schemas.Assignment.properties).sort());
    expect(fieldsOf('ErrorDetail')).toEqual(Object.keys(schemas.Error.properties.error.properties).sort());
    expect(java).toContain('baseUrl + "/v1/sessions"');
    expect(java).toContain('baseUrl + "/v1/sessions/" + sessionId');
    expect(java).toContain('"NO_NODE_AVAILABLE"');
    expect(Object.keys(spec.paths['/v1/sessions'].post.responses)).toEqual(
      expect.arrayContaining(['200', '201', '503']),
    );
  });

  it("starts the gateway as it says, with the settings it lists, where OpenVidu's one setting points", async () => {
    const command = blocks('sh').find((block) => block.includes('pnpm@10.34.8 gateway'));
    expect(command).toBeDefined();
    const settings = Object.fromEntries(
      [...(command ?? '').split('npx')[0]!.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]] as const),
    );
    expect(Object.keys(settings).sort()).toEqual([
      'FLEET_TOKEN',
      'FLEET_URL',
      'GATEWAY_HOST',
      'GATEWAY_PORT',
    ]);
    // OpenVidu's KMS_URIS names the gateway's host, port and KMS's path.
    expect(guide).toContain(`KMS_URIS=["ws://${settings.GATEWAY_HOST}:${settings.GATEWAY_PORT}/kurento"]`);

    // The table lists every variable the gateway reads (its --help), with the same defaults.
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'apps/gateway/src/main.ts', '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    const read = [...help.stdout.matchAll(/^ {2}([A-Z_]+) /gm)].map((m) => m[1]).sort();
    const table = [...guide.matchAll(/^\| `((?:FLEET|GATEWAY)_[A-Z_]+)` +\| ([^|]+)\|/gm)];
    expect(table.map((m) => m[1]).sort()).toEqual(read);
    for (const [, name, documented] of table) {
      const helpLine = help.stdout.split('\n').find((line) => line.startsWith(`  ${name} `)) ?? '';
      const value = documented!.trim().replaceAll('`', '');
      if (value === '(required)') expect(helpLine, name).toContain('(required)');
      else if (!value.startsWith('<')) expect(helpLine, name).toContain(`(default ${value}`);
    }

    // And it starts with those settings (on a free port here) against the control plane.
    const { body: token } = await cp.request<CreatedToken>('POST', '/v1/tokens', { role: 'app' });
    const gateway = spawnTsx('apps/gateway/src/main.ts', [], {
      ...settings,
      FLEET_URL: cp.url,
      FLEET_TOKEN: token.token,
      GATEWAY_PORT: '0',
      GATEWAY_CONNECT_TIMEOUT_MS: '500',
    });
    try {
      const line = await gateway.waitForLine((l) => jsonLine(l)?.message === 'gateway listening');
      const url = new URL(String(jsonLine(line)?.url));
      expect(url.hostname).toBe(settings.GATEWAY_HOST);
      expect(url.pathname).toBe('/kurento');
      const metrics = await fetch(`http://${url.host}/metrics`);
      expect(await metrics.text()).toContain('fleet_gateway_clients');
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });
});
