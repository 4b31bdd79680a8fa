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
 * The API against a model: random sequences of fleet changes, heartbeats, clock steps, sweeps, placements (new,
 * sticky, moved, forced), renames, failure reports and releases, each checked against a plain in-memory model of
 * the contract built on the scheduler package and the shared model of the health rule. After every step the
 * node counts must match, and so must the outbox: the events the step wrote are exactly the ones the model
 * expects (type, subject, data, time, consecutive ids), so that every change is told and a refused request tells
 * nothing. At the end the stored SWRR state must match too.
 */

/** A node of the model, with the health its events last told (what decides the next transition event). */
type ModelNode = HealthNode & { token: string; told: 'unknown' | 'up' | 'down' };

/** An event as `GET /v1/events` shows it, without its id (the model numbers them in order). */
interface ModelEvent {
  type: string;
  at: string;
  nodeId: string | null;
  sessionId: string | null;
  data: Record<string, unknown>;
}

// Slow start and the CPU guard on, so that every rule of placement is in play.
const policy = { slowStartMs: 20_000, maxCpuPercent: 70 };
const policyEnv = {
  FLEET_SLOW_START_MS: String(policy.slowStartMs),
  FLEET_MAX_CPU_PERCENT: String(policy.maxCpuPercent),
};

const nodeIds = ['a', 'b', 'c', 'd'];
const sessionIds = Array.from({ length: 6 }, (_, i) => `s${i}`);
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
    weight: 2,
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
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('release' as const), sid: fc.constantFrom(...sessionIds) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('failure' as const), id: nodeId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sweep' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('rename' as const),
      sid: fc.constantFrom(...sessionIds),
      to: fc.constantFrom(...sessionIds),
    }),
  },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/**
 * Half the runs start from a fleet at work (every node added and up, every session placed), so that moves,
 * drains and releases, and their events, are common rather than rare; the other half start empty.
 */
const warmFleet: Step[] = [
  ...nodeIds.flatMap((id, i): Step[] => [
    { op: 'add', id, weight: i + 1 },
    { op: 'heartbeat', id, connected: true, cpu: null },
  ]),
  ...sessionIds.map((sid): Step => ({ op: 'assign', sid, forced: null })),
];
const steps = fc
  .tuple(fc.boolean(), fc.array(step, { minLength: 10, maxLength: 70 }))
  .map(([warm, random]) => (warm ? [...warmFleet, ...random] : random));

class Model {
  nodes: ModelNode[] = [];
  /** Session id → node id, in the order the sessions were created (a move keeps a session's place). */
  sessions = new Map<string, string>();
  /** The events the steps so far must have written, oldest first. */
  events: ModelEvent[] = [];
  constructor(private readonly now: () => number) {}
  emit(
    type: string,
    nodeId: string | null,
    sessionId: string | null,
    data: Record<string, unknown>,
    at = this.now(),
  ) {
    this.events.push({ type, at: new Date(at).toISOString(), nodeId, sessionId, data });
  }
  sessionsOn = (id: string) => [...this.sessions].filter(([, n]) => n === id).map(([sid]) => sid);
  /** The sweep's rule, for every node or one: a node told up whose heartbeats went stale is told down. */
  sweep(only?: ModelNode) {
    const { fresh } = this.at();
    for (const n of only ? [only] : this.nodes) {
      if (n.told !== 'up' || n.lastHeartbeat === null || n.lastHeartbeat >= fresh) continue;
      this.emit(
        'node.down',
        n.id,
        null,
        { reason: `no heartbeat for ${heartbeatTimeoutMs} ms`, sessions: this.sessionsOn(n.id) },
        n.lastHeartbeat + heartbeatTimeoutMs,
      );
      n.told = 'down';
    }
  }
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
      model.nodes.push({ ...newModelNode(s.id, s.weight), token: body.agentToken, told: 'unknown' });
      model.resetCycle();
      return;
    }
    case 'remove': {
      const status = (await h.call('DELETE', `/v1/nodes/${s.id}${s.force ? '?force=true' : ''}`)).status;
      if (!node) return expect(status).toBe(404);
      if (model.load(s.id) > 0 && !s.force) return expect(status).toBe(409);
      expect(status).toBe(204);
      model.nodes = model.nodes.filter((n) => n !== node);
      for (const sid of model.sessionsOn(s.id)) {
        model.emit('session.released', s.id, sid, { reason: 'its node was deleted' });
        model.sessions.delete(sid);
      }
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
      } else if (s.op === 'state') {
        if (s.state === 'draining' && node.state !== 'draining' && model.load(s.id) === 0)
          model.emit('node.drained', s.id, null, { reason: 'set to draining while it held no session' });
        node.state = s.state;
      } else node.max = s.max;
      return;
    }
    case 'heartbeat': {
      if (!node) return;
      const kms =
        s.cpu === null
          ? undefined
          : { version: '7.3.0', cpuCount: 2, usedCpuPercent: s.cpu, usedMemoryKiB: 1, pipelines: 0 };
      expect((await h.heartbeat(s.id, node.token, { connected: s.connected, kms })).status).toBe(200);
      model.sweep(node);
      const health = s.connected ? 'up' : 'down';
      if (node.told !== health) {
        const reason = s.connected
          ? 'the agent reports the KMS connected'
          : 'the agent reports the KMS unreachable';
        model.emit(
          `node.${health}`,
          s.id,
          null,
          s.connected ? { reason } : { reason, sessions: model.sessionsOn(s.id) },
        );
        node.told = health;
      }
      if (s.connected && !isUp(node, model.at())) node.upSince = h.clock.ms;
      node.lastHeartbeat = h.clock.ms;
      node.connected = s.connected;
      if (s.cpu !== null) node.cpuLoad = s.cpu / 2;
      return;
    }
    case 'tick':
      h.clock.advance(s.ms);
      return;
    case 'sweep':
      await h.sweep();
      model.sweep();
      return;
    case 'failure': {
      const { status, body } = await h.json('POST', `/v1/nodes/${s.id}/failures`, {
        body: { reason: 'test' },
      });
      if (!node) return expect(status).toBe(404);
      const wasEjected = node.ejectedUntil !== null && node.ejectedUntil > h.clock.ms;
      const until = reportFailure(model.nodes, node, model.at(), {
        ...defaultPolicy,
        memoryMs: ejectionMemoryMs,
        maxFactor: maxEjectionFactor,
      });
      expect({ status, body }).toEqual({
        status: 202,
        body: { nodeId: s.id, ejectedUntil: until === null ? null : new Date(until).toISOString() },
      });
      if (wasEjected) return;
      model.emit(
        'node.ejected',
        s.id,
        null,
        until === null
          ? {
              reason: 'test',
              ejectedUntil: null,
              why: `not ejected: ejecting it would take more than ${defaultPolicy.maxEjectedPercent}% of the fleet's weight out of rotation`,
            }
          : {
              reason: 'test',
              ejectedUntil: new Date(until).toISOString(),
              why: `ejected for ${until - h.clock.ms} ms`,
            },
      );
      return;
    }
    case 'release': {
      const status = (await h.call('DELETE', `/v1/sessions/${s.sid}`)).status;
      const holder = model.find(model.sessions.get(s.sid) ?? '');
      if (holder) {
        model.emit('session.released', holder.id, s.sid, {});
        if (holder.state === 'draining' && model.load(holder.id) === 1)
          model.emit('node.drained', holder.id, null, { reason: 'its last session was released' });
      }
      expect(status).toBe(model.sessions.delete(s.sid) ? 204 : 404);
      return;
    }
    case 'rename': {
      const status = (await h.call('POST', `/v1/sessions/${s.sid}/rename`, { body: { to: s.to } })).status;
      const holder = model.sessions.get(s.sid);
      if (holder === undefined) return expect(status).toBe(404);
      if (s.to === s.sid) return expect(status).toBe(200);
      if (model.sessions.has(s.to)) return expect(status).toBe(409);
      expect(status).toBe(200);
      model.emit('session.renamed', holder, s.to, { from: s.sid });
      // The same row under a new id: it keeps its place in the order of creation.
      model.sessions = new Map([...model.sessions].map(([sid, n]) => [sid === s.sid ? s.to : sid, n]));
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
      if (holder) model.emit('session.moved', target, s.sid, { from: holder.id, to: target });
      else model.emit('session.placed', target, s.sid, { forced: s.forced !== null });
      model.sessions.set(s.sid, target);
    }
  }
}

describe('the API against a model of the contract', () => {
  it('agrees on every answer, every node count, every event of the outbox, and the stored SWRR state', async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (steps) => {
        const h = await createHarness({ policy: policyEnv });
        const model = new Model(() => h.clock.ms);
        for (const s of steps) {
          await apply(h, model, s);
          const { body } = await h.json('GET', '/v1/nodes');
          const counts = Object.fromEntries(
            body.nodes.map((n: { id: string; activeSessions: number }) => [n.id, n.activeSessions]),
          );
          expect(counts).toEqual(Object.fromEntries(model.nodes.map((n) => [n.id, model.load(n.id)])));
          // The outbox: all of it, every step, with ids that follow each other from 1 (none lost, none extra).
          const { body: outbox } = await h.json('GET', '/v1/events?after=0&limit=1000');
          expect(outbox.events, JSON.stringify(s)).toEqual(
            model.events.map((event, i) => ({ id: String(i + 1), ...event })),
          );
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
