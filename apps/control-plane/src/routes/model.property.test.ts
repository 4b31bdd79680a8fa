import { defaultPolicy, ejectionMemoryMs, maxEjectionFactor } from '@kurento-fleet/db';
import {
  type ModelNode as HealthNode,
  isUp,
  newModelNode,
  pickNext,
  reportFailure,
  usable,
} from '@kurento-fleet/db/placement-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness, type Harness, heartbeatTimeoutMs, runtime } from '../testing/harness';

/**
 * The API against a model: random sequences of fleet changes, heartbeats, clock steps, placements (new, sticky,
 * moved, forced), failure reports and releases, each checked against a plain in-memory model of the contract
 * built on the scheduler package and the shared model of the health rule. After every step the node counts must match; at the end the stored SWRR state must too.
 */

type ModelNode = HealthNode & { token: string };

// Slow start and the CPU guard on, so that every rule of placement is in play.
const policy = { slowStartMs: 20_000, maxCpuPercent: 70 };
const policyEnv = {
  FLEET_SLOW_START_MS: String(policy.slowStartMs),
  FLEET_MAX_CPU_PERCENT: String(policy.maxCpuPercent),
};

const nodeIds = ['a', 'b', 'c', 'd'];
const sessionIds = Array.from({ length: 12 }, (_, i) => `s${i}`);
const nodeId = fc.constantFrom(...nodeIds);
const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      id: nodeId,
      weight: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('remove' as const), id: nodeId, force: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('weight' as const),
      id: nodeId,
      weight: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('state' as const),
      id: nodeId,
      state: fc.constantFrom('active' as const, 'draining' as const, 'disabled' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('max' as const),
      id: nodeId,
      max: fc.option(fc.integer({ min: 1, max: 3 })),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('heartbeat' as const),
      id: nodeId,
      connected: fc.boolean(),
      // usedCpuPercent of a 2-core KMS (100 = one core), around the guard's 70 % of all cores; none: the
      // report keeps the last figure.
      cpu: fc.option(fc.constantFrom(20, 100, 139, 140, 190), { freq: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('tick' as const),
      ms: fc.constantFrom(1000, 5000, heartbeatTimeoutMs + 1, defaultPolicy.ejectionMs),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('assign' as const),
      sid: fc.constantFrom(...sessionIds),
      forced: fc.option(nodeId, { freq: 5 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('release' as const), sid: fc.constantFrom(...sessionIds) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('failure' as const), id: nodeId }) },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

class Model {
  nodes: ModelNode[] = [];
  sessions = new Map<string, string>();
  constructor(private readonly now: () => number) {}
  find = (id: string) => this.nodes.find((n) => n.id === id);
  load = (id: string) => [...this.sessions.values()].filter((n) => n === id).length;
  at = () => ({ now: this.now(), fresh: this.now() - heartbeatTimeoutMs });
  usable = (n: ModelNode) => usable(n, this.at());
  pickNext = () => pickNext(this.nodes, (n) => this.load(n.id), this.at(), policy);
  resetCycle() {
    for (const n of this.nodes) n.current = 0;
  }
}

/** Runs one step on the API and on the model; returns nothing, asserts the answer. */
async function apply(h: Harness, model: Model, s: Step) {
  const node = 'id' in s ? model.find(s.id) : undefined;
  switch (s.op) {
    case 'add': {
      const { status, body } = await h.json('POST', '/v1/nodes', {
        body: { id: s.id, uri: `ws://h/${s.id}`, weight: s.weight },
      });
      expect(status).toBe(node ? 409 : 201);
      if (node) return;
      model.nodes.push({ ...newModelNode(s.id, s.weight), token: body.agentToken });
      model.resetCycle();
      return;
    }
    case 'remove': {
      const status = (await h.call('DELETE', `/v1/nodes/${s.id}${s.force ? '?force=true' : ''}`)).status;
      if (!node) return expect(status).toBe(404);
      if (model.load(s.id) > 0 && !s.force) return expect(status).toBe(409);
      expect(status).toBe(204);
      model.nodes = model.nodes.filter((n) => n !== node);
      for (const [sid, holder] of model.sessions) if (holder === s.id) model.sessions.delete(sid);
      model.resetCycle();
      return;
    }
    case 'weight':
    case 'state':
    case 'max': {
      const patch =
        s.op === 'weight'
          ? { weight: s.weight }
          : s.op === 'state'
            ? { state: s.state }
            : { maxSessions: s.max };
      const status = (await h.call('PATCH', `/v1/nodes/${s.id}`, { body: patch })).status;
      expect(status).toBe(node ? 200 : 404);
      if (!node) return;
      if (s.op === 'weight') {
        node.weight = s.weight;
        model.resetCycle();
      } else if (s.op === 'state') node.state = s.state;
      else node.max = s.max;
      return;
    }
    case 'heartbeat': {
      if (!node) return;
      const kms =
        s.cpu === null
          ? undefined
          : { version: '7.3.0', cpuCount: 2, usedCpuPercent: s.cpu, usedMemoryKiB: 1, pipelines: 0 };
      expect((await h.heartbeat(s.id, node.token, { connected: s.connected, kms })).status).toBe(200);
      if (s.connected && !isUp(node, model.at())) node.upSince = h.clock.ms;
      node.lastHeartbeat = h.clock.ms;
      node.connected = s.connected;
      if (s.cpu !== null) node.cpuLoad = s.cpu / 2;
      return;
    }
    case 'tick':
      h.clock.advance(s.ms);
      return;
    case 'failure': {
      const { status, body } = await h.json('POST', `/v1/nodes/${s.id}/failures`, {
        body: { reason: 'test' },
      });
      if (!node) return expect(status).toBe(404);
      const until = reportFailure(model.nodes, node, model.at(), {
        ...defaultPolicy,
        memoryMs: ejectionMemoryMs,
        maxFactor: maxEjectionFactor,
      });
      expect({ status, body }).toEqual({
        status: 202,
        body: { nodeId: s.id, ejectedUntil: until === null ? null : new Date(until).toISOString() },
      });
      return;
    }
    case 'release': {
      const status = (await h.call('DELETE', `/v1/sessions/${s.sid}`)).status;
      expect(status).toBe(model.sessions.delete(s.sid) ? 204 : 404);
      return;
    }
    case 'assign': {
      const { status, body } = await h.json('POST', '/v1/sessions', {
        body: s.forced === null ? { sessionId: s.sid } : { sessionId: s.sid, nodeId: s.forced },
      });
      const holder = model.find(model.sessions.get(s.sid) ?? '');
      if (holder && model.usable(holder)) {
        return expect({ status, nodeId: body.nodeId, reassigned: body.reassigned }).toEqual({
          status: 200,
          nodeId: holder.id,
          reassigned: false,
        });
      }
      let target: string | undefined;
      if (s.forced !== null) {
        const forced = model.find(s.forced);
        if (!forced) return expect(status).toBe(404);
        if (forced.state === 'disabled') return expect(status).toBe(409);
        target = forced.id;
      } else {
        const picked = model.pickNext();
        if (!picked)
          return expect({ status, code: body.error?.code }).toEqual({
            status: 503,
            code: 'NO_NODE_AVAILABLE',
          });
        target = picked;
      }
      expect({ status, nodeId: body.nodeId, reassigned: body.reassigned }).toEqual({
        status: holder ? 200 : 201,
        nodeId: target,
        reassigned: Boolean(holder),
      });
      model.sessions.set(s.sid, target);
    }
  }
}

describe('the API against a model of the contract', () => {
  it('agrees on every answer, every node count, and the stored SWRR state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 70 }), async (steps) => {
        const h = await createHarness({ policy: policyEnv });
        const model = new Model(() => h.clock.ms);
        for (const s of steps) {
          await apply(h, model, s);
          const { body } = await h.json('GET', '/v1/nodes');
          const counts = Object.fromEntries(
            body.nodes.map((n: { id: string; activeSessions: number }) => [n.id, n.activeSessions]),
          );
          expect(counts).toEqual(Object.fromEntries(model.nodes.map((n) => [n.id, model.load(n.id)])));
        }
        const stored = (await h.snapshot()).nodes as { id: string; current: number }[];
        const storedState = Object.fromEntries(stored.map((n) => [n.id, Number(n.current)]));
        expect(storedState).toEqual(Object.fromEntries(model.nodes.map((n) => [n.id, n.current])));
      }),
      // workerd answers over a socket, ~10× slower a request: fewer runs there, the same property.
      { numRuns: Number(process.env.FLEET_MODEL_RUNS ?? (runtime === 'workerd' ? 15 : 60)) },
    );
  }, 120_000);
});
