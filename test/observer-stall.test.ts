import { spawn } from 'node:child_process';
import type { Assignment, CreatedNode, EventPage, NodeList } from '@kurento-fleet/contract';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './support/control-plane';
import {
  freePort,
  quickAgentSettings,
  repoRoot,
  startAgentProcess,
  type TsxProcess,
  waitUntil,
} from './support/processes';
import { tempDir } from './support/temp-dir';

/**
 * The observer's own stall must never take a healthy fleet down. A control plane (a process) watches three KMS
 * (emulators) through three agents (processes) reporting every 400 ms with a 2 s timeout; then the control
 * plane cannot observe for longer than the timeout, three ways: another process holds the database's write
 * lock for 6 s, the control plane process is frozen (SIGSTOP) for 3 s, and it is stopped and restarted 3 s
 * later. Throughout, /healthz and sticky answers come within 1 s where the process runs at all, and afterwards
 * no node has a `down` event and no session was moved.
 */
const heartbeatIntervalMs = 400;
const heartbeatTimeoutMs = 2000;
const ids = ['a', 'b', 'c'] as const;

describe('a control plane that cannot observe for a while', () => {
  const dir = tempDir();
  const dbPath = `${dir.path}/fleet.db`;
  const emulators: KmsEmulator[] = [];
  const agents: TsxProcess[] = [];
  const sessions = Array.from({ length: 12 }, (_, i) => `room-${i}`);
  const placedOn = new Map<string, string>();
  let port: number;
  let cp: ControlPlane;

  const start = () =>
    startControlPlane({
      PORT: String(port),
      FLEET_DB_PATH: dbPath,
      FLEET_HEARTBEAT_INTERVAL_MS: String(heartbeatIntervalMs),
      FLEET_HEARTBEAT_TIMEOUT_MS: String(heartbeatTimeoutMs),
    });

  /** Every session is where it was placed, not reassigned; every node up; no `down` event at all. */
  const expectFleetIntact = async () => {
    for (const sessionId of sessions) {
      const { status, body } = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId });
      expect(status, sessionId).toBe(200);
      expect(body, sessionId).toMatchObject({ nodeId: placedOn.get(sessionId), reassigned: false });
    }
    const nodes = (await cp.request<NodeList>('GET', '/v1/nodes')).body.nodes as {
      id: string;
      health: string;
    }[];
    expect(nodes.map((n) => n.health)).toEqual(['up', 'up', 'up']);
    const events = (await cp.request<EventPage>('GET', '/v1/events?limit=1000')).body.events as {
      type: string;
    }[];
    expect(events.filter((e) => e.type === 'down')).toEqual([]);
  };

  /** Polls /healthz and a sticky answer every 100 ms for `ms`; returns the slowest of each. */
  const probeWhile = async (ms: number) => {
    const slowest = { healthz: 0, sticky: 0 };
    const timed = async (what: keyof typeof slowest, call: () => Promise<{ status: number }>) => {
      const began = performance.now();
      const { status } = await call();
      expect(status, what).toBe(200);
      slowest[what] = Math.max(slowest[what], performance.now() - began);
    };
    const until = Date.now() + ms;
    for (let i = 0; Date.now() < until; i++) {
      const sessionId = sessions[i % sessions.length] as string;
      await Promise.all([
        timed('healthz', () => fetch(`${cp.url}/healthz`)),
        timed('sticky', () => cp.request<Assignment>('POST', '/v1/sessions', { sessionId })),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return slowest;
  };

  beforeAll(async () => {
    port = await freePort();
    cp = await start();
    for (const id of ids) {
      const kms = await startKmsEmulator({ port: 0 });
      emulators.push(kms);
      const { body } = await cp.request<CreatedNode>('POST', '/v1/nodes', { id, uri: kms.url, weight: 1 });
      const agent = await startAgentProcess({
        fleetUrl: cp.url,
        nodeId: id,
        agentToken: body.agentToken,
        kmsUri: kms.url,
        env: { ...quickAgentSettings, FLEET_PROBE_INTERVAL_MS: '200' },
      });
      agents.push(agent);
    }
    const allUp = async () =>
      ((await cp.request<NodeList>('GET', '/v1/nodes')).body.nodes as { health: string }[]).every(
        (n) => n.health === 'up',
      );
    await waitUntil(allUp, 15_000, 'every node up');
    for (const sessionId of sessions) {
      const { status, body } = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId });
      expect(status).toBe(201);
      placedOn.set(sessionId, body.nodeId);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.kill()));
    await Promise.all(emulators.map((kms) => kms.stop()));
    await cp?.kill();
    dir.remove();
  });

  it('keeps answering while another process holds the write lock for 6 s, and takes no node down', async () => {
    // An operator's sqlite3 shell, as a process of its own: BEGIN IMMEDIATE, six seconds, ROLLBACK.
    const locker = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.exec('BEGIN IMMEDIATE'); console.log('locked');
         setTimeout(() => { db.exec('ROLLBACK'); console.log('released'); }, 6000);`,
        dbPath,
      ],
      { cwd: `${repoRoot}/packages/db`, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const output: string[] = [];
    locker.stdout.on('data', (chunk) => output.push(String(chunk)));
    await waitUntil(async () => output.join('').includes('locked'), 10_000, 'lock taken');

    const slowest = await probeWhile(6500);
    expect(output.join('')).toContain('released');
    expect(slowest.healthz).toBeLessThan(1000);
    expect(slowest.sticky).toBeLessThan(1000);
    // Heartbeats queued during the lock are written once it is gone; give the agents a few more rounds.
    await new Promise((resolve) => setTimeout(resolve, 3 * heartbeatIntervalMs));
    await expectFleetIntact();
  }, 30_000);

  it('takes no node down after its own process was frozen for 3 s (SIGSTOP)', async () => {
    const pid = cp.process.child.pid as number;
    process.kill(pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    process.kill(pid, 'SIGCONT');
    const slowest = await probeWhile(1500);
    expect(slowest.sticky).toBeLessThan(1000);
    await expectFleetIntact();
  }, 30_000);

  it('takes no node down when it is stopped and started again 3 s later', async () => {
    expect(await cp.stop()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    cp = await start();
    await probeWhile(1500);
    await expectFleetIntact();
  }, 30_000);
});
