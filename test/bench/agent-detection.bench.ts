// How fast does the control plane learn that a KMS died, and that it is back?
//
// A real control plane process, one KMS emulator, and the agent library in-process with its default settings.
// Each round kills the emulator at a random moment and polls GET /v1/nodes/{id} until the node is "down",
// keeps it down for a while (long enough for kurento-client's own reconnection backoff to grow), starts it
// again and polls until "up".
//
//   npx -y pnpm@10.34.8 exec tsx test/bench/agent-detection.bench.ts
//   BENCH_ROUNDS=10 BENCH_DOWN_MS=5000 npx -y pnpm@10.34.8 bench:agent
import { type Agent, startAgent } from '@kurento-fleet/agent';
import type { CreatedNode, Node } from '@kurento-fleet/contract';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { silentLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { type ControlPlane, startControlPlane } from '../support/control-plane';
import { tempDir } from '../support/temp-dir';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DOWN_MS = Number(process.env.BENCH_DOWN_MS ?? 3000);
const HEARTBEAT_INTERVAL_MS = 2000;
const HEARTBEAT_TIMEOUT_MS = 6000;
const POLL_MS = 10;
const NODE_ID = 'bench-kms';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the node until its health is `health`; resolves with the elapsed ms since `since`. */
async function untilHealth(
  plane: ControlPlane,
  health: string,
  since: number,
  timeoutMs = 30_000,
): Promise<number> {
  for (;;) {
    const { status, body } = await plane.request<Node>('GET', `/v1/nodes/${NODE_ID}`);
    if (status === 200 && body.health === health) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`node not ${health} within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

function summary(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { min: sorted[0] ?? 0, median, max: sorted.at(-1) ?? 0 };
}

async function main(): Promise<void> {
  // kurento-client's console chatter would garble the table.
  routeConsoleToLogger(silentLogger);
  const dir = tempDir('fleet-bench-');
  let plane: ControlPlane | undefined;
  let emulator: KmsEmulator | undefined;
  let agent: Agent | undefined;
  try {
    plane = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      FLEET_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS),
      FLEET_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
    });
    emulator = await startKmsEmulator({ gcIntervalMs: 0 });
    const created = await plane.request<CreatedNode>('POST', '/v1/nodes', {
      id: NODE_ID,
      uri: emulator.url,
      weight: 1,
    });
    if (created.status !== 201)
      throw new Error(`POST /v1/nodes: ${created.status} ${JSON.stringify(created.body)}`);
    agent = startAgent({
      fleetUrl: plane.url,
      nodes: [{ nodeId: NODE_ID, agentToken: created.body.agentToken, kmsUri: emulator.url }],
      log: silentLogger,
    });
    await untilHealth(plane, 'up', performance.now());

    const downTimes: number[] = [];
    const upTimes: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Kill at a random phase of the probe and heartbeat cycles.
      await sleep(500 + Math.random() * HEARTBEAT_INTERVAL_MS);
      const killedAt = performance.now();
      await emulator.kill();
      downTimes.push(await untilHealth(plane, 'down', killedAt));
      // A random extra second: the kill re-anchors the probe cycle, and a fixed down time would always restart
      // the KMS at the same phase of it.
      await sleep(Math.max(0, DOWN_MS + Math.random() * 1000 - (performance.now() - killedAt)));
      const startedAt = performance.now();
      await emulator.start();
      upTimes.push(await untilHealth(plane, 'up', startedAt));
      const last = (values: number[]) => (values.at(-1) ?? 0).toFixed(0);
      process.stdout.write(
        `round ${round}/${ROUNDS}: kill→down ${last(downTimes)} ms, restart→up ${last(upTimes)} ms\n`,
      );
    }
    const restarts = agent.state(NODE_ID)?.kms.restarts ?? 0;

    const rows = [
      ['kill → node down', summary(downTimes)],
      ['restart → node up', summary(upTimes)],
    ] as const;
    const cell = (ms: number) => `${ms.toFixed(0)} ms`.padStart(9);
    const ratio = (ms: number) => `${(ms / HEARTBEAT_INTERVAL_MS).toFixed(2)}×`.padStart(7);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out('');
    out(
      `agent defaults: probe every 1000 ms, deadline 1500 ms, CPU sample 300 ms; control plane heartbeat ` +
        `interval ${HEARTBEAT_INTERVAL_MS} ms, timeout ${HEARTBEAT_TIMEOUT_MS} ms; ${ROUNDS} rounds, KMS down ` +
        `${DOWN_MS}–${DOWN_MS + 1000} ms each; polling every ${POLL_MS} ms`,
    );
    out('');
    out(`| transition          |       min |    median |       max | median / heartbeat interval |`);
    out(`|---------------------|-----------|-----------|-----------|-----------------------------|`);
    for (const [name, { min, median, max }] of rows) {
      out(
        `| ${name.padEnd(19)} | ${cell(min)} | ${cell(median)} | ${cell(max)} | ${ratio(median).padStart(27)} |`,
      );
    }
    out('');
    out(`restarts noticed by the agent: ${restarts} of ${ROUNDS}`);
    out(
      `without the agent's own detection, a dead KMS would be "down" only after the heartbeat timeout ` +
        `(${HEARTBEAT_TIMEOUT_MS} ms).`,
    );
  } finally {
    await agent?.stop();
    await emulator?.stop();
    await plane?.stop();
    dir.remove();
  }
}

main().then(
  // kurento-client keeps 20 s request timers alive after close: exit rather than wait for them.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
