import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import type { CliIo } from './command';

interface Answer {
  status: number;
  body?: unknown;
}

/** runCli in process, over a fetch that answers from a script and records the requests. */
async function run(
  argv: string[],
  options: { env?: CliIo['env']; answers?: Answer[]; files?: Record<string, string> } = {},
) {
  const requests: Array<{ method: string; url: string; auth: string | null; body: unknown }> = [];
  const answers = [...(options.answers ?? [])];
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env ?? { FLEET_URL: 'http://fleet.test', FLEET_TOKEN: 'env-token' },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    fetch: (async (input: string | URL | Request, init: RequestInit = {}) => {
      requests.push({
        method: init.method ?? 'GET',
        url: String(input),
        auth: new Headers(init.headers).get('authorization'),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      const answer = answers.shift() ?? { status: 500 };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
      });
    }) as typeof fetch,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, requests };
}

const node = {
  id: 'a',
  uri: 'ws://10.0.0.1:8888/kurento',
  weight: 5,
  state: 'active',
  health: 'up',
  lastHeartbeatAt: null,
  kms: null,
  activeSessions: 2,
  maxSessions: 10,
  region: null,
  labels: {},
  createdAt: 'x',
  updatedAt: 'x',
};

describe('runCli: finding the command', () => {
  it('prints the overview for --help (exit 0) and with an error when no command is named (exit 2)', async () => {
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('nodes add ');
    expect(help.stdout).toContain('import-openvidu ');
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: missing a command\n\nkurento-fleet: operate/);
  });

  it("prints a group's usages for `nodes --help`, and refuses an unknown command", async () => {
    const group = await run(['nodes', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('nodes remove ID [--force]');
    expect(group.stdout).not.toContain('sessions assign');
    expect(await run(['nodes', 'frobnicate'])).toMatchObject({
      code: 2,
      stderr: "error: unknown command 'nodes frobnicate'\nrun 'kurento-fleet --help' for help\n",
    });
  });

  it('prints a command’s help without calling the API', async () => {
    const { code, stdout, requests } = await run(['sessions', 'assign', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: kurento-fleet sessions assign ID \[--node N\]\n/);
    expect(requests).toEqual([]);
  });

  it("skips pnpm's `--` and takes the global flags before the command", async () => {
    const { code, stdout, requests } = await run(
      ['--', '--url', 'http://other.test/', '--token', 'flag-token', 'nodes', 'list', '--json'],
      { answers: [{ status: 200, body: { nodes: [node] } }] },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ nodes: [node] });
    expect(requests).toEqual([
      { method: 'GET', url: 'http://other.test/v1/nodes', auth: 'Bearer flag-token', body: undefined },
    ]);
  });

  it('asks for a token when there is none (exit 2)', async () => {
    const { code, stderr } = await run(['nodes', 'list'], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'error: no token: set FLEET_TOKEN or pass --token\nusage: kurento-fleet nodes list\n',
    );
  });
});

describe('runCli: commands', () => {
  it('prints tables by default', async () => {
    const decision = { eligible: [{ id: 'a', weight: 5, effectiveWeight: 2, current: 0 }], skipped: [] };
    const { stdout, requests } = await run(['nodes', 'list'], {
      answers: [
        { status: 200, body: { nodes: [node] } },
        { status: 200, body: { nodeIds: ['a'], decision } },
        { status: 200, body: { maxCpuPercent: 85 } },
      ],
    });
    expect(stdout.split('\n')[0]).toBe(
      'ID  URI                         WEIGHT  STATE   HEALTH  SESSIONS  CPU  REGION  HEARTBEAT  ROTATION',
    );
    expect(stdout.split('\n')[1]).toBe(
      'a   ws://10.0.0.1:8888/kurento  5       active  up      2/10      -    -       never      ramp 2/5',
    );
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/v1/nodes',
      '/v1/placements/preview',
      '/v1/placement-policy',
    ]);
  });

  it('builds the PATCH of `nodes update` from its flags', async () => {
    const { code, requests } = await run(
      ['nodes', 'update', 'a', '--weight', '3', '--max-sessions', 'none', '--region', 'eu', '--label', 'k=v'],
      { answers: [{ status: 200, body: node }] },
    );
    expect(code).toBe(0);
    expect(requests[0]).toMatchObject({
      method: 'PATCH',
      url: 'http://fleet.test/v1/nodes/a',
      body: { weight: 3, maxSessions: null, region: 'eu', labels: { k: 'v' } },
    });
  });

  it('sends `weights set a=5 b=1` as one PUT', async () => {
    const { requests } = await run(['weights', 'set', 'a=5', 'b=1'], {
      answers: [{ status: 200, body: { nodes: [] } }],
    });
    expect(requests[0]).toMatchObject({ method: 'PUT', body: { weights: { a: 5, b: 1 } } });
  });

  it('reports an API error with its code and request id (exit 1)', async () => {
    const error = { error: { code: 'FORBIDDEN', message: 'This token may not do that.', requestId: 'r-1' } };
    const { code, stdout, stderr } = await run(['nodes', 'list'], {
      answers: [{ status: 403, body: error }],
    });
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: This token may not do that. (FORBIDDEN, request r-1)\n',
    });
  });

  it.each([
    [['weights', 'set', 'a=five'], "--weight of a must be an integer from 0 to 10000, not 'five'"],
    [
      ['nodes', 'update', 'a', '--state', 'asleep'],
      "--state must be active, draining or disabled, not 'asleep'",
    ],
    [['nodes', 'get'], 'missing ID'],
    [['tokens', 'create'], 'missing --role'],
    [['sessions', 'list', '--limit', '0'], "--limit must be an integer from 1 to 1000, not '0'"],
  ])('refuses %j before any request (exit 2)', async (argv, message) => {
    const { code, stderr, requests } = await run(argv);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`error: ${message}`);
    expect(requests).toEqual([]);
  });
});

describe('runCli: import-openvidu', () => {
  const file = 'KMS_URIS=["ws://10.0.0.1:8888/kurento","ws://10.0.0.2:8888/kurento"]\nKMS_WEIGHT=[5,1]\n';

  it('takes each list from its flag, else the environment, else the env file', async () => {
    const answers = [{ status: 200, body: { nodes: [] } }];
    const fromFile = await run(['import-openvidu', '--env-file', '/ov/.env', '--dry-run', '--json'], {
      files: { '/ov/.env': file },
      answers,
    });
    expect(
      JSON.parse(fromFile.stdout).nodes.map((n: { id: string; weight: number }) => [n.id, n.weight]),
    ).toEqual([
      ['kms-10-0-0-1', 5],
      ['kms-10-0-0-2', 1],
    ]);
    const mixed = await run(
      ['import-openvidu', '--env-file', '/ov/.env', '--kms-weight', '[2,3]', '--dry-run', '--json'],
      {
        env: { FLEET_TOKEN: 't', KMS_URIS: '["ws://10.9.9.9:8888/kurento","ws://10.9.9.8:8888/kurento"]' },
        files: { '/ov/.env': file },
        answers: [{ status: 200, body: { nodes: [] } }],
      },
    );
    expect(
      JSON.parse(mixed.stdout).nodes.map((n: { uri: string; weight: number }) => [n.uri, n.weight]),
    ).toEqual([
      ['ws://10.9.9.9:8888/kurento', 2],
      ['ws://10.9.9.8:8888/kurento', 3],
    ]);
  });

  it('says which file it could not read (exit 2)', async () => {
    const { code, stderr } = await run(['import-openvidu', '--env-file', '/nope/.env']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      "error: cannot read --env-file /nope/.env: ENOENT: no such file, open '/nope/.env'",
    );
  });
});
