import { readFileSync } from 'node:fs';
import type { Assignment, CreatedNode, CreatedToken, Node } from '@kurento-fleet/contract';
import { startControlPlane, testAdminToken } from '../support/control-plane';
import {
  freePort,
  quickHeartbeatSettings,
  startAgentProcess,
  startEmulatorProcess,
  type TsxProcess,
  waitUntil,
} from '../support/processes';
import { tempDir } from '../support/temp-dir';

/**
 * A bounded soak on loopback: a control plane, two KMS emulators and their agents heartbeating, and clients
 * placing and releasing sessions for `seconds`. Reports failed requests and every process's resident memory
 * over time, so that a leak shows as growth between the first and the last part of the run.
 */
export interface SoakReport {
  seconds: number;
  requests: number;
  failures: string[];
  /** Resident set size in MiB per process: the median of the first and of the last quarter of the samples. */
  memory: Record<string, { early: number; late: number }>;
  /**
   * The control plane's V8 heap in use (from its /metrics), in MiB: the lowest sample of the second and of the
   * last quarter. The lows are the live set after collections; a leak raises them, garbage does not.
   */
  heapFloor: { early: number; late: number };
  /** The lowest heap sample of each quarter, to tell a plateau from a climb. */
  heapFloors: number[];
}

const rssMiB = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The control plane's old-space cap during the soak; its live set is about 20 MiB (measured in process). */
const heapCapMiB = 96;

export async function runSoak(options: { seconds: number; clients?: number }): Promise<SoakReport> {
  const dir = tempDir('fleet-soak-');
  const processes: Record<string, TsxProcess> = {};
  try {
    const cp = await startControlPlane({
      FLEET_DB_PATH: `${dir.path}/fleet.db`,
      ...quickHeartbeatSettings,
      // Under load V8 grows the old generation lazily, so RSS and even the heap's lows climb with garbage. A cap
      // makes it collect for real: a leak would end in an out-of-memory crash, which the run reports.
      NODE_OPTIONS: `--max-old-space-size=${heapCapMiB}`,
    });
    processes['control plane'] = cp.process;
    for (const id of ['a', 'b']) {
      const port = await freePort();
      processes[`emulator ${id}`] = await startEmulatorProcess({ port });
      const { body } = await cp.request<CreatedNode>('POST', '/v1/nodes', {
        id,
        uri: `ws://127.0.0.1:${port}/kurento`,
        weight: id === 'a' ? 2 : 1,
      });
      processes[`agent ${id}`] = await startAgentProcess({
        fleetUrl: cp.url,
        nodeId: id,
        agentToken: body.agentToken,
        kmsUri: `ws://127.0.0.1:${port}/kurento`,
        env: { FLEET_PROBE_INTERVAL_MS: '250' },
      });
    }
    for (const id of ['a', 'b']) {
      await waitUntil(
        async () => (await cp.request<Node>('GET', `/v1/nodes/${id}`)).body.health === 'up',
        15_000,
        `${id} up`,
      );
    }
    const app = (await cp.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'soak' })).body
      .token as string;

    const samples: Record<string, number[]> = Object.fromEntries(
      Object.keys(processes).map((name) => [name, []]),
    );
    const heap: number[] = [];
    const sampler = setInterval(() => {
      for (const [name, proc] of Object.entries(processes)) samples[name]!.push(rssMiB(proc.child.pid ?? 0));
      void fetch(`${cp.url}/metrics`, { headers: { authorization: `Bearer ${testAdminToken}` } })
        .then((response) => response.text())
        .then((text) => {
          const used = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
          if (used) heap.push(Number(used) / 2 ** 20);
        })
        .catch(() => {});
    }, 250);
    const failures: string[] = [];
    let requests = 0;
    const end = Date.now() + options.seconds * 1000;
    const client = async (k: number) => {
      const live: string[] = [];
      for (let i = 0; Date.now() < end; i++) {
        // Sessions come and go: a new one, a sticky re-ask, and a release once a client holds twenty.
        const sessionId = `c${k}-${i}`;
        const placed = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId }, app);
        const again = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId }, app);
        requests += 2;
        if (placed.status !== 201 || again.status !== 200)
          failures.push(`${sessionId}: ${placed.status}/${again.status}`);
        live.push(sessionId);
        if (live.length > 20) {
          const released = await cp.request('DELETE', `/v1/sessions/${live.shift()}`, undefined, app);
          requests++;
          if (released.status !== 204) failures.push(`release: ${released.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.clients ?? 8 }, (_, k) => client(k)));
    clearInterval(sampler);
    for (const [name, proc] of Object.entries(processes)) if (!proc.alive) failures.push(`${name} died`);

    const memory = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => {
        const quarter = Math.max(1, Math.floor(values.length / 4));
        return [name, { early: median(values.slice(0, quarter)), late: median(values.slice(-quarter)) }];
      }),
    );
    const quarter = Math.max(1, Math.floor(heap.length / 4));
    const heapFloor = {
      early: Math.min(...heap.slice(quarter, 2 * quarter)),
      late: Math.min(...heap.slice(-quarter)),
    };
    const heapFloors = [0, 1, 2, 3].map((q) => Math.min(...heap.slice(q * quarter, (q + 1) * quarter)));
    return { seconds: options.seconds, requests, failures, memory, heapFloor, heapFloors };
  } finally {
    await Promise.all(Object.values(processes).map((proc) => proc.kill()));
    dir.remove();
  }
}
