// The SDK as an app outside this repository gets it: `pnpm pack` (which builds it), `npm install` of the
// tarball into a plain JavaScript project, and plain `node` running CommonJS and ES-module scripts against a
// real control plane process and, for the ./kurento entry, a KMS emulator with the kurento-client npm installed.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CreatedNode, CreatedToken, SessionPage } from '@kurento-fleet/contract';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, repoRoot, startControlPlane } from './support/control-plane';
import { tempDir } from './support/temp-dir';

const run = promisify(execFile);
// npm installs from the registry (kurento-client and its dependencies) when its cache is cold, as on a fresh CI
// machine: the install steps get minutes, not the default 30 s.
const fixtures = join(repoRoot, 'test/sdk-package');

/** pnpm as this test was started (`pnpm test`), else the pinned one through npx, as the README runs it. */
function pnpm(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return [process.execPath, [execPath]];
  return ['npx', ['-y', 'pnpm@10.34.8']];
}

/** Runs a command to completion; throws with its output when it fails. */
function mustRun(command: string, args: string[], cwd: string, timeoutMs: number): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

describe('@kurento-fleet/client packed and installed with npm into a plain JavaScript project', () => {
  const work = tempDir('fleet-sdk-package-');
  const app = join(work.path, 'app');
  let cp: ControlPlane;
  let kms: KmsEmulator;
  let env: Record<string, string>;

  /** Runs one of the fixture scripts with plain node in the app; resolves with the JSON line it printed. */
  async function script(name: string, sessionId: string): Promise<Record<string, unknown>> {
    const { stdout } = await run(process.execPath, [name], {
      cwd: app,
      env: { ...env, SESSION_ID: sessionId },
      timeout: 30_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  }

  beforeAll(async () => {
    // The build happens here, through the package's prepack script: nothing is built ahead of the test.
    const [command, prefix] = pnpm();
    mustRun(
      command,
      [...prefix, 'pack', '--pack-destination', work.path],
      join(repoRoot, 'packages/client'),
      120_000,
    );
    // The overrides npm needs for kurento-client 7.3.0 (its reconnect-ws points at a GitHub fork).
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'plain-app', private: true, overrides: { 'reconnect-ws': '0.1.0' } }),
    );
    for (const name of readdirSync(fixtures)) copyFileSync(join(fixtures, name), join(app, name));
    [cp, kms] = await Promise.all([
      startControlPlane({ FLEET_DB_PATH: join(work.path, 'fleet.db'), FLEET_HEARTBEAT_TIMEOUT_MS: '600000' }),
      startKmsEmulator(),
    ]);
    const node = await cp.request<CreatedNode>('POST', '/v1/nodes', { id: 'kms-1', uri: kms.url, weight: 1 });
    expect(node.status).toBe(201);
    const beat = await cp.request(
      'POST',
      '/v1/nodes/kms-1/heartbeat',
      { connected: true },
      node.body.agentToken,
    );
    expect(beat.status).toBe(200);
    const token = await cp.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'plain-app' });
    env = { ...process.env, FLEET_URL: cp.url, FLEET_TOKEN: token.body.token } as Record<string, string>;
  }, 240_000);

  afterAll(async () => {
    await cp?.stop();
    await kms?.stop();
    work.remove();
  });

  const tarball = () => readdirSync(work.path).find((name) => name.endsWith('.tgz')) ?? 'no tarball';

  it('packs JavaScript (ESM and CommonJS) and declarations only, with an exports map onto them', () => {
    const listing = mustRun('tar', ['tzf', tarball()], work.path, 10_000).split('\n').filter(Boolean).sort();
    // Besides the entries: chunks their code and their declarations share (named by tsup and rollup-plugin-dts).
    const shared = /^package\/dist\/(chunk-\w+\.c?js|\w+-[\w-]+\.d\.c?ts)$/;
    expect(listing.filter((path) => !shared.test(path))).toEqual([
      'package/README.md',
      'package/dist/index.cjs',
      'package/dist/index.d.cts',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/dist/kurento.cjs',
      'package/dist/kurento.d.cts',
      'package/dist/kurento.d.ts',
      'package/dist/kurento.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse(
      mustRun('tar', ['xzOf', tarball(), 'package/package.json'], work.path, 10_000),
    );
    expect(manifest.exports['.'].import).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.exports['./kurento'].require).toEqual({
      types: './dist/kurento.d.cts',
      default: './dist/kurento.cjs',
    });
    // Nothing of the monorepo is needed: zod alone (the contract's types are inferred from its schemas),
    // kurento-client an optional peer.
    expect(manifest.dependencies).toEqual({ zod: expect.any(String) });
    expect(manifest.peerDependenciesMeta).toEqual({ 'kurento-client': { optional: true } });
  });

  it('installs from the tarball alone, without kurento-client, and places, reads and releases a session', async () => {
    mustRun(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(work.path, tarball())],
      app,
      120_000,
    );
    expect(existsSync(join(app, 'node_modules/@kurento-fleet/client/dist/index.cjs'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/kurento-client'))).toBe(false);

    const expected = { created: true, nodeId: 'kms-1', readNodeId: 'kms-1', releasedIsNotFound: true };
    expect(await script('sessions.cjs', 'plain-cjs')).toEqual({ ...expected, loadedKurentoClient: false });
    expect(await script('sessions.mjs', 'plain-esm')).toEqual(expected);
  }, 180_000);

  it('type-checks an ES-module and a CommonJS TypeScript consumer against the declarations', () => {
    const consumer = `
      import { type Assignment, FleetClient, NoNodeAvailableError } from '@kurento-fleet/client';
      import { KurentoPool, kurentoCall, type MediaPipeline } from '@kurento-fleet/client/kurento';
      const fleet = new FleetClient({ url: 'http://127.0.0.1:8080', token: 't' });
      const pool = new KurentoPool({ connectTimeoutMs: 1000 });
      export async function place(id: string): Promise<Assignment> {
        const { client, assignment } = await pool.forSession(fleet, id);
        const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
        await kurentoCall<void>((cb) => pipeline.release(cb));
        return assignment;
      }
      export const busy = (error: unknown) => error instanceof NoNodeAvailableError;
      // @ts-expect-error: the declarations are real, a token is a string
      new FleetClient({ url: 'http://127.0.0.1:8080', token: 42 });
    `;
    writeFileSync(join(app, 'consumer.mts'), consumer);
    writeFileSync(join(app, 'consumer.cts'), consumer);
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const types = join(repoRoot, 'node_modules/@types');
    const options = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022'];
    mustRun(
      process.execPath,
      [tsc, ...options, '--typeRoots', types, '--types', 'node', 'consumer.mts', 'consumer.cts'],
      app,
      60_000,
    );
  }, 90_000);

  it('drives the KMS through the ./kurento entry with the kurento-client npm installed beside it', async () => {
    mustRun(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', 'kurento-client@7.3.0'],
      app,
      180_000,
    );

    expect(await script('kurento.cjs', 'kurento-cjs')).toEqual({
      nodeId: 'kms-1',
      kmsVersion: '7.3.0',
      tag: 'kurento-cjs',
      sharedErrorClass: true,
    });
    expect(await script('kurento.mjs', 'kurento-esm')).toEqual({
      nodeId: 'kms-1',
      created: true,
      tags: [expect.objectContaining({ key: 'fleetSessionId', value: 'kurento-esm' })],
    });
    // Both scripts released what they made.
    expect(kms.snapshot().pipelines).toEqual([]);
    expect((await cp.request<SessionPage>('GET', '/v1/sessions')).body.sessions).toEqual([]);
  }, 240_000);
});
