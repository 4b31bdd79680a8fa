// Integration: startAgent with the real kurento-client against the KMS emulator, reporting to a stand-in
// control plane over real HTTP.
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Agent, startAgent } from './agent';
import { captureLogger } from './testing/capture-logger';
import { type StandInControlPlane, startStandInControlPlane } from './testing/http-control-plane';
import { crashGuard, FAST, waitUntil } from './testing/real-kms';

let emulator: KmsEmulator;
let plane: StandInControlPlane;
let agent: Agent;
const { log, lines } = captureLogger();
const guard = crashGuard();
let restoreConsole: () => void;

beforeAll(async () => {
  restoreConsole = routeConsoleToLogger(log);
  emulator = await startKmsEmulator({ gcIntervalMs: 0 });
  plane = await startStandInControlPlane(300);
  agent = startAgent({
    fleetUrl: plane.url,
    nodes: [{ nodeId: 'kms-1', agentToken: 'kf_token', kmsUri: emulator.url }],
    probeIntervalMs: FAST.intervalMs,
    probeDeadlineMs: FAST.deadlineMs,
    cpuSampleMs: FAST.cpuSampleMs,
    backoff: { initialMs: 50, maxMs: 400 },
    log,
  });
});
afterAll(async () => {
  await agent.stop();
  await emulator.stop();
  await plane.stop();
  restoreConsole();
  guard.assertNone();
  guard.dispose();
});

const last = () => plane.heartbeats.at(-1);

it('reports up, down at once when the KMS dies, up again, and rides out a control plane outage', async () => {
  await waitUntil(() => last()?.body.connected === true, 3000, 'first heartbeat');
  expect(last()).toMatchObject({ nodeId: 'kms-1', authorization: 'Bearer kf_token' });
  expect(last()?.body.kms).toMatchObject({ version: '7.3.0', pipelines: 0 });
  expect(last()?.body.agent.version).toMatch(/^\d+\.\d+\.\d+/);

  // The answer's interval (300 ms) governs the cadence.
  const count = plane.heartbeats.length;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(plane.heartbeats.length - count).toBeGreaterThanOrEqual(2);
  expect(plane.heartbeats.length - count).toBeLessThanOrEqual(5);

  const killed = performance.now();
  await emulator.kill();
  await waitUntil(() => last()?.body.connected === false, 1000, 'connected:false');
  expect((last()?.at ?? 0) - killed).toBeLessThan(200);
  expect(last()?.body).not.toHaveProperty('kms');

  await emulator.start();
  await waitUntil(() => last()?.body.connected === true, 2000, 'connected again');

  // The control plane goes away; the agent keeps probing, logs, and resumes when it is back.
  await plane.stop();
  await waitUntil(() => lines.some((line) => line.message === 'heartbeat failed'), 2000, 'heartbeat failed');
  await emulator.kill();
  await waitUntil(() => agent.state('kms-1')?.kms.status === 'down', 1000, 'down while the plane is away');
  const before = plane.heartbeats.length;
  await plane.start();
  await waitUntil(() => plane.heartbeats.length > before, 2000, 'heartbeats again');
  expect(last()?.body.connected).toBe(false);
  await emulator.start();
  await waitUntil(() => last()?.body.connected === true, 2000, 'up again');
  expect(lines.some((line) => line.message === 'heartbeat recovered')).toBe(true);

  // Every line the agent logged is structured, including kurento-client's own console output.
  for (const line of lines) expect(Object.keys(line).slice(0, 3)).toEqual(['time', 'level', 'message']);
  expect(lines.filter((line) => line.message === 'kms down').every((line) => line.nodeId === 'kms-1')).toBe(
    true,
  );
  expect(lines.some((line) => line.source === 'console')).toBe(true);
});
