// The real agent process (`node --import tsx apps/agent/src/main.ts`, what `pnpm agent` runs), spawned.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The stdout lines so far, each parsed (a non-JSON line fails the parse on purpose). */
  lines: () => Array<Record<string, unknown>>;
  exit: Promise<number | null>;
}

function spawnAgent(env: Record<string, string>, args: string[] = []): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/agent/src/main.ts', ...args], {
    cwd: repoRoot,
    // Only what the test gives: no FLEET_* from the developer's shell.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, stdout: () => stdout, stderr: () => stderr, lines, exit };
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`${what} not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('apps/agent main.ts', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.each<[string, Record<string, string>, string[], RegExp]>([
    [
      'no configuration at all',
      {},
      [],
      /FLEET_URL \(--fleet-url\) is required.*KMS_URI \(--kms-uri\) is required/,
    ],
    [
      'a bad KMS_URI',
      {
        FLEET_URL: 'http://127.0.0.1:9',
        FLEET_NODE_ID: 'n',
        FLEET_AGENT_TOKEN: 't',
        KMS_URI: 'localhost:8888',
      },
      [],
      /KMS_URI \(--kms-uri\) must be a ws:\/\/ or wss:\/\/ URL, got 'localhost:8888'/,
    ],
    ['an unknown flag', {}, ['--', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('exits 1 with a message naming the problem: %s', async (_name, env, args, message) => {
    const agent = spawnAgent(env, args);
    expect(await agent.exit).toBe(1);
    expect(agent.stderr()).toMatch(message);
    expect(agent.stdout()).toBe('');
  });

  it('reports heartbeats with connected:true, logs JSON lines only, and exits 0 on SIGTERM', async () => {
    const emulator: KmsEmulator = await startKmsEmulator({ gcIntervalMs: 0 });
    cleanups.push(() => emulator.stop());
    const heartbeats: Array<{ path: string | undefined; authorization: string | undefined; body: any }> = [];
    const server: Server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => {
        text += chunk;
      });
      request.on('end', () => {
        heartbeats.push({
          path: request.url,
          authorization: request.headers.authorization,
          body: JSON.parse(text),
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ heartbeatIntervalMs: 200 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const port = (server.address() as AddressInfo).port;

    const agent = spawnAgent(
      {
        FLEET_URL: `http://127.0.0.1:${port}`,
        FLEET_NODE_ID: 'kms-7',
        FLEET_AGENT_TOKEN: 'kf_secret_token',
        KMS_URI: emulator.url,
        FLEET_LOG_LEVEL: 'debug',
      },
      ['--', '--probe-interval-ms', '250'],
    );
    cleanups.push(() => {
      agent.child.kill('SIGKILL');
    });

    await until(
      () => heartbeats.some((beat) => beat.body.connected === true),
      15_000,
      'a connected heartbeat',
    );
    const beat = heartbeats.find((entry) => entry.body.connected === true);
    expect(beat).toMatchObject({
      path: '/v1/nodes/kms-7/heartbeat',
      authorization: 'Bearer kf_secret_token',
    });
    expect(beat?.body.kms).toMatchObject({ version: '7.3.0', pipelines: 0 });
    expect(typeof beat?.body.kms.startedAt).toBe('string');

    // A KMS restart: kurento-client's console chatter ("reconnect to server …") must come out as JSON too.
    await emulator.restart({ downMs: 300 });
    await until(
      () => agent.lines().some((line) => line.message === 'kms restarted'),
      5000,
      "'kms restarted'",
    );

    agent.child.kill('SIGTERM');
    expect(await agent.exit).toBe(0);
    const lines = agent.lines();
    for (const line of lines) {
      expect(line).toHaveProperty('time');
      expect(line).toHaveProperty('level');
      expect(line).toHaveProperty('message');
    }
    const messages = lines.map((line) => line.message);
    expect(messages[0]).toBe('agent started');
    expect(messages).toContain('kms up');
    expect(messages).toContain('kms down');
    expect(messages.at(-1)).toBe('agent stopped');
    expect(lines.find((line) => line.message === 'kms down')).toMatchObject({
      nodeId: 'kms-7',
      level: 'warn',
    });
    expect(lines.some((line) => line.source === 'console')).toBe(true);
    expect(agent.stdout()).not.toContain('kf_secret_token');
  });
});
