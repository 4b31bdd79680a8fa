import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane, testAdminToken } from './support/control-plane';
import { rawClient } from './support/http-client';
import { nginxBinary, type ReverseProxy, startNginx } from './support/nginx';
import { dbEnv } from './support/stored-db';
import { tempDir } from './support/temp-dir';

/**
 * The auth-failure limit against real processes, with forged headers: a valid token is never refused, a
 * client cannot escape the limit by naming itself, and behind a trusted reverse proxy (a real nginx) each
 * client is counted apart. Clients connect from distinct loopback addresses (127.0.0.10, .11), the proxy from
 * its own (127.0.0.2), so the control plane sees them as a deployment would.
 */
const limit = 5;
const attacker = '127.0.0.10';
const neighbour = '127.0.0.11';
const proxyAddress = '127.0.0.2';

const running: { stop(): Promise<unknown> }[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const process of running.splice(0).reverse()) await process.stop();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function controlPlane(runtime: Runtime, env: Record<string, string> = {}): Promise<ControlPlane> {
  const dir = tempDir();
  dirs.push(dir);
  const cp = await startControlPlane(
    { ...dbEnv(runtime, dir.path), FLEET_AUTH_FAILURES_PER_MINUTE: String(limit), ...env },
    runtime,
  );
  running.push({ stop: () => cp.kill() });
  return cp;
}

/** Sends GET `path` with `token` from the loopback address `from`, with extra (forged) headers. */
async function call(
  url: string,
  from: string,
  token: string,
  headers: Record<string, string> = {},
  path = '/v1/nodes',
) {
  const client = rawClient(url);
  try {
    return (
      await client.send({
        path,
        localAddress: from,
        headers: { authorization: `Bearer ${token}`, ...headers },
      })
    ).status;
  } finally {
    client.close();
  }
}

/** `count` bad guesses from `from`, each with another forged address in `header`; their statuses. */
async function guesses(url: string, from: string, count: number, header: string, path?: string) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++)
    statuses.push(await call(url, from, `guess-${from}-${i}`, { [header]: `198.51.100.${i + 1}` }, path));
  return statuses;
}

describe('a control plane without trusted proxies (Node process)', () => {
  it('ignores forged X-Forwarded-For, slows failures, and never refuses a valid token', async () => {
    const cp = await controlPlane('node');
    expect(await guesses(cp.url, attacker, limit, 'x-forwarded-for')).toEqual(Array(limit).fill(401));
    // A new forged address did not make a new client.
    expect(await guesses(cp.url, attacker, 2, 'x-forwarded-for')).toEqual([429, 429]);
    expect(await call(cp.url, attacker, testAdminToken)).toBe(200);
    expect(await call(cp.url, attacker, testAdminToken, {}, '/metrics')).toBe(200);
    expect(await call(cp.url, attacker, 'guess', {}, '/metrics')).toBe(429);
    expect(await call(cp.url, neighbour, 'guess')).toBe(401);
  });

  it('counts failed /metrics scrapes like /v1 calls', async () => {
    const cp = await controlPlane('node');
    expect(await guesses(cp.url, attacker, limit + 1, 'x-forwarded-for', '/metrics')).toEqual([
      ...Array(limit).fill(401),
      429,
    ]);
    expect(await call(cp.url, attacker, 'guess')).toBe(429);
    expect(await call(cp.url, attacker, testAdminToken, {}, '/metrics')).toBe(200);
  });
});

describe.skipIf(!nginxBinary)('behind a real nginx', () => {
  async function behindNginx(env: Record<string, string>): Promise<ReverseProxy> {
    const cp = await controlPlane('node', env);
    const dir = tempDir('fleet-nginx-');
    dirs.push(dir);
    const proxy = await startNginx({ upstream: cp.url, bindAddress: proxyAddress, dir: dir.path });
    running.push(proxy);
    return proxy;
  }

  it('with FLEET_TRUSTED_PROXIES: each client is counted apart, forged hops are never believed', async () => {
    const proxy = await behindNginx({ FLEET_TRUSTED_PROXIES: `${proxyAddress}, 10.0.0.0/8` });
    expect(await guesses(proxy.url, attacker, limit, 'x-forwarded-for')).toEqual(Array(limit).fill(401));
    // The forged entries sit left of the one nginx wrote, so the attacker stays the attacker.
    expect(await guesses(proxy.url, attacker, 2, 'x-forwarded-for')).toEqual([429, 429]);
    // Forging a trusted hop changes nothing either: nginx's own entry, the attacker's address, is read first.
    expect(await call(proxy.url, attacker, 'guess', { 'x-forwarded-for': '198.51.100.7, 10.0.0.1' })).toBe(
      429,
    );
    expect(await call(proxy.url, attacker, testAdminToken)).toBe(200);
    // Another client behind the same proxy is not locked out, not even for its failures.
    expect(await call(proxy.url, neighbour, 'guess')).toBe(401);
    expect(await call(proxy.url, neighbour, testAdminToken)).toBe(200);
  });

  it('without it: every client shares the proxy’s address, and a valid token still passes', async () => {
    const proxy = await behindNginx({});
    expect(await guesses(proxy.url, attacker, limit, 'x-forwarded-for')).toEqual(Array(limit).fill(401));
    expect(await call(proxy.url, neighbour, 'guess')).toBe(429);
    expect(await call(proxy.url, neighbour, testAdminToken)).toBe(200);
  });
});
if (!nginxBinary)
  console.warn('auth-limit.test.ts: nginx is not installed; the reverse-proxy cases are skipped');

describe('start:edge (workerd)', () => {
  it('ignores a forged cf-connecting-ip by default, and never refuses a valid token', async () => {
    const cp = await controlPlane('edge');
    expect(await guesses(cp.url, attacker, limit, 'cf-connecting-ip')).toEqual(Array(limit).fill(401));
    expect(await guesses(cp.url, neighbour, 2, 'cf-connecting-ip')).toEqual([429, 429]);
    expect(await call(cp.url, attacker, testAdminToken)).toBe(200);
  });

  it('reads cf-connecting-ip when the operator trusts it (behind Cloudflare)', async () => {
    const cp = await controlPlane('edge', { FLEET_TRUST_CF_CONNECTING_IP: 'true' });
    expect(await guesses(cp.url, attacker, limit + 2, 'cf-connecting-ip')).toEqual(
      Array(limit + 2).fill(401),
    );
    const sameAddress = { 'cf-connecting-ip': '203.0.113.9' };
    for (let i = 0; i < limit; i++) expect(await call(cp.url, attacker, `guess-${i}`, sameAddress)).toBe(401);
    expect(await call(cp.url, neighbour, 'guess', sameAddress)).toBe(429);
  });
});
