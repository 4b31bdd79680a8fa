import {
  BadRequestError,
  ConflictError,
  FleetClient,
  FleetUnavailableError,
  ForbiddenError,
  NoNodeAvailableError,
  NotFoundError,
  UnauthorizedError,
} from '@kurento-fleet/client';
import {
  closeKurentoClients,
  KurentoConnectError,
  KurentoPool,
  kurentoCall,
  kurentoForSession,
  type MediaPipeline,
  type ServerInfo,
  type ServerManager,
} from '@kurento-fleet/client/kurento';
import { type KmsEmulator, startKmsEmulator } from '@kurento-fleet/kms-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane, testAdminToken } from './support/control-plane';
import { freePort } from './support/processes';
import { tempDir } from './support/temp-dir';

/** The SDK against a real control plane process, and its Kurento helper against a real KMS emulator. */
describe('@kurento-fleet/client against a real control plane', () => {
  const dir = tempDir();
  let cp: ControlPlane;
  let admin: FleetClient;
  let app: FleetClient;
  // No waiting between tries: the retries themselves are covered by the unit tests.
  const quick = { attempts: 2, initialDelayMs: 10, maxDelayMs: 10 };

  const heartbeat = async (id: string, agentToken: string, connected = true) => {
    const { status } = await cp.request('POST', `/v1/nodes/${id}/heartbeat`, { connected }, agentToken);
    expect(status).toBe(200);
  };

  beforeAll(async () => {
    cp = await startControlPlane({ FLEET_DB_PATH: `${dir.path}/fleet.db` });
    admin = new FleetClient({ url: cp.url, token: testAdminToken, retry: quick });
    const { token } = await admin.createToken({ role: 'app', name: 'sdk-test' });
    app = new FleetClient({ url: `${cp.url}/`, token, retry: quick });
  });
  afterAll(async () => {
    await cp?.stop();
    dir.remove();
  });

  it('registers nodes, places sessions sticky, pages through them and releases them', async () => {
    const a = await admin.createNode({
      id: 'a',
      uri: 'ws://127.0.0.1:9/a',
      weight: 2,
      labels: { zone: 'z1' },
    });
    const b = await admin.createNode({ id: 'b', uri: 'ws://127.0.0.1:9/b', maxSessions: 10, region: 'eu' });
    expect(a.node).toMatchObject({ id: 'a', weight: 2, health: 'unknown', labels: { zone: 'z1' } });
    expect(a.agentToken).toMatch(/^kf_/);
    await heartbeat('a', a.agentToken);
    await heartbeat('b', b.agentToken);

    const first = await app.assignSession('room-1');
    expect(first).toMatchObject({ created: true, assignment: { sessionId: 'room-1', reassigned: false } });
    expect(await app.assignSession('room-1')).toEqual({ assignment: first.assignment, created: false });
    const forced = await app.assignSession('room-2', { nodeId: 'b' });
    expect(forced.assignment.nodeId).toBe('b');
    await app.assignSession('room-3');
    expect(await app.getSession('room-2')).toEqual(forced.assignment);

    const page = await app.listSessions({ limit: 2 });
    expect(page.sessions.map((s) => s.sessionId)).toEqual(['room-1', 'room-2']);
    expect(page.nextCursor).not.toBeNull();
    const all: string[] = [];
    for await (const session of app.iterateSessions({ limit: 1 })) all.push(session.sessionId);
    expect(all).toEqual(['room-1', 'room-2', 'room-3']);
    // Weights 2:1 put room-1 on a and room-3 on b; the forced room-2 took no pick.
    expect((await app.listSessions({ nodeId: 'b' })).sessions.map((s) => s.sessionId)).toEqual([
      'room-2',
      'room-3',
    ]);

    await app.releaseSession('room-3');
    await expect(app.getSession('room-3')).rejects.toBeInstanceOf(NotFoundError);
    await expect(app.releaseSession('room-3')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });

    const nodes = await admin.listNodes();
    expect(nodes.map((node) => [node.id, node.health])).toEqual([
      ['a', 'up'],
      ['b', 'up'],
    ]);
    const events = await admin.listEvents({ nodeId: 'a', types: ['node.up', 'node.down'] });
    expect(events.events.map((event) => event.type)).toEqual(['node.up']);
    expect((await admin.listPlacements()).map((p) => p.sessionId)).toEqual(['room-3', 'room-2', 'room-1']);
  });

  it('changes nodes and weights, and rotates agent tokens', async () => {
    const updated = await admin.updateNode('b', { state: 'draining', maxSessions: null, region: null });
    expect(updated).toMatchObject({ state: 'draining', maxSessions: null, region: null });
    const nodes = await admin.setWeights({ a: 7, b: 3 });
    expect(nodes.map((node) => node.weight)).toEqual([7, 3]);
    expect(await admin.getNode('a')).toMatchObject({ weight: 7 });

    const agentToken = await admin.rotateAgentToken('a');
    await heartbeat('a', agentToken);
    await admin.updateNode('b', { state: 'active' });
  });

  it('reads the topology, previews and renames with an app token, and reports a failure', async () => {
    expect(await app.topology()).toEqual([
      { id: 'a', uri: 'ws://127.0.0.1:9/a', state: 'active', health: 'up', ejectedUntil: null },
      { id: 'b', uri: 'ws://127.0.0.1:9/b', state: 'active', health: 'up', ejectedUntil: null },
    ]);
    const next = await admin.previewPlacements(4);
    expect(next.decision.eligible.map((e) => e.id)).toEqual(['a', 'b']);
    const placed = [];
    for (const id of ['p-1', 'p-2', 'p-3', 'p-4'])
      placed.push((await app.assignSession(id)).assignment.nodeId);
    expect(placed).toEqual(next.nodeIds);
    expect(await admin.placementPolicy()).toMatchObject({ ejectionMs: 30_000, maxCpuPercent: 85 });
    const renamed = await app.renameSession('p-1', 'pipeline-1');
    expect(renamed).toMatchObject({ sessionId: 'pipeline-1', nodeId: placed[0] });
    await expect(app.renameSession('p-2', 'pipeline-1')).rejects.toBeInstanceOf(ConflictError);
    await expect(app.previewPlacements()).rejects.toBeInstanceOf(ForbiddenError);

    const reported = await app.reportFailure('b', 'connect ECONNREFUSED 127.0.0.1:9');
    expect(reported.ejectedUntil).not.toBeNull();
    expect(await app.reportFailure('b', 'again')).toEqual(reported);
    expect((await app.topology()).find((n) => n.id === 'b')?.ejectedUntil).toBe(reported.ejectedUntil);
    expect((await app.assignSession('p-5')).assignment.nodeId).toBe('a');
    for (const id of ['pipeline-1', 'p-2', 'p-3', 'p-4', 'p-5']) await app.releaseSession(id);
  });

  it('throws a typed error for each refusal, with the code and request id', async () => {
    const refusals: Array<[() => Promise<unknown>, new (...args: any[]) => Error, string]> = [
      [() => admin.createNode({ id: 'a', uri: 'ws://127.0.0.1:9/other' }), ConflictError, 'CONFLICT'],
      [() => admin.updateNode('a', { weight: 10_001 }), BadRequestError, 'BAD_REQUEST'],
      [() => admin.setWeights({ a: 1, nope: 1 }), NotFoundError, 'NOT_FOUND'],
      [() => admin.deleteNode('a'), ConflictError, 'CONFLICT'],
      [() => app.listNodes(), ForbiddenError, 'FORBIDDEN'],
      [
        () => new FleetClient({ url: cp.url, token: 'nope' }).listSessions(),
        UnauthorizedError,
        'UNAUTHORIZED',
      ],
      [() => app.assignSession('room-x', { nodeId: 'nope' }), NotFoundError, 'NOT_FOUND'],
    ];
    for (const [call, ErrorClass, code] of refusals) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({ code, requestId: expect.stringMatching(/.+/) });
    }
    // Nothing changed: the weights are still those of the last successful call.
    expect((await admin.listNodes()).map((node) => node.weight)).toEqual([7, 3]);
  });

  it('retries while no node is available, then throws NoNodeAvailableError', async () => {
    const { agentToken } = await admin.createNode({ id: 'solo', uri: 'ws://127.0.0.1:9/solo' });
    await admin.setWeights({ a: 0, b: 0, solo: 1 });
    await heartbeat('solo', agentToken, false);
    const patient = new FleetClient({
      url: cp.url,
      token: testAdminToken,
      retry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 100 },
    });
    const started = Date.now();
    const error = await patient.assignSession('room-none').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNodeAvailableError);
    expect(error).toMatchObject({ status: 503, code: 'NO_NODE_AVAILABLE' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100); // two waits of 50..100 ms
    await expect(admin.getSession('room-none')).rejects.toBeInstanceOf(NotFoundError);

    // The node comes back while the client is waiting: the retry succeeds.
    const assigned = patient.assignSession('room-late');
    await heartbeat('solo', agentToken, true);
    await expect(assigned).resolves.toMatchObject({ created: true, assignment: { nodeId: 'solo' } });
    await admin.deleteNode('solo', { force: true });
    await admin.setWeights({ a: 1, b: 1 });
  });

  it('manages tokens: a revoked token stops working at once', async () => {
    const created = await admin.createToken({ role: 'app', name: 'short-lived' });
    expect((await admin.listTokens()).map((token) => token.name)).toContain('short-lived');
    const user = new FleetClient({ url: cp.url, token: created.token });
    await expect(user.listSessions()).resolves.toMatchObject({ sessions: expect.any(Array) });
    await admin.deleteToken(created.id);
    await expect(user.listSessions()).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('wraps an unreachable control plane in FleetUnavailableError', async () => {
    const port = await freePort();
    const nobody = new FleetClient({ url: `http://127.0.0.1:${port}`, token: 't', retry: quick });
    const error = await nobody.listNodes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnavailableError);
    expect(error).toMatchObject({ reason: 'network' });
    expect((error as Error).message).toContain(`cannot reach the control plane at http://127.0.0.1:${port}`);
  });

  describe('kurento helper, with a real kurento-client and a KMS emulator', () => {
    let kms: KmsEmulator;
    let pool: KurentoPool;

    beforeAll(async () => {
      kms = await startKmsEmulator();
      pool = new KurentoPool({ connectTimeoutMs: 2000 });
      const { agentToken } = await admin.createNode({ id: 'kms', uri: kms.url });
      await admin.setWeights({ a: 0, b: 0, kms: 1 });
      await heartbeat('kms', agentToken);
    });
    afterAll(async () => {
      pool?.close();
      await kms?.stop();
    });

    it('returns a connected client for the session’s KMS, shared by the sessions there', async () => {
      const room = await pool.forSession(app, 'kurento-room-1');
      expect(room).toMatchObject({ created: true, assignment: { nodeId: 'kms', kmsUri: kms.url } });
      const manager = await kurentoCall<ServerManager>((cb) => room.client.getServerManager(cb));
      const info = await kurentoCall<ServerInfo>((cb) => manager.getInfo(cb));
      expect(info).toMatchObject({ type: 'KMS', version: '7.3.0' });

      // What the Node guide does: a pipeline tagged with the session id.
      const pipeline = await kurentoCall<MediaPipeline>((cb) => room.client.create('MediaPipeline', cb));
      await kurentoCall<void>((cb) => pipeline.addTag('fleetSessionId', 'kurento-room-1', cb));
      expect(await kurentoCall<string>((cb) => pipeline.getTag('fleetSessionId', cb))).toBe('kurento-room-1');
      await kurentoCall<void>((cb) => pipeline.release(cb));

      const participant = await pool.forSession(app, 'kurento-room-1');
      expect(participant.created).toBe(false);
      expect(participant.client).toBe(room.client);
      expect((await pool.forSession(app, 'kurento-room-2')).client).toBe(room.client);
    });

    it('rejects with KurentoConnectError when the KMS is down, without crashing the process', async () => {
      const port = await freePort();
      const { agentToken } = await admin.createNode({ id: 'dead', uri: `ws://127.0.0.1:${port}/kurento` });
      await heartbeat('dead', agentToken);
      const shortPool = new KurentoPool({ connectTimeoutMs: 500 });
      try {
        const error = await shortPool.forSession(app, 'doomed', { nodeId: 'dead' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KurentoConnectError);
        // Refused at once: no wait for the 500 ms timeout.
        expect((error as Error).message).toMatch(
          new RegExp(
            `^cannot connect to the KMS at ws://127.0.0.1:${port}/kurento: the connection attempt failed`,
          ),
        );
        expect((error as Error).message).toContain('ECONNREFUSED');
      } finally {
        shortPool.close();
      }
      // Refused reconnections after the rejection are still handled: give a few of them time to happen.
      await new Promise((resolve) => setTimeout(resolve, 300));
    });

    it('kurentoForSession reports a KMS it cannot reach and asks again: the session moves to a live one', async () => {
      const doomed = await startKmsEmulator();
      try {
        const { agentToken } = await admin.createNode({ id: 'doomed', uri: doomed.url });
        await heartbeat('doomed', agentToken);
        // Half the weight on each, so that the fleet may eject doomed (FLEET_MAX_EJECTED_PERCENT, 50).
        await admin.setWeights({ a: 0, b: 0, dead: 0, kms: 1, doomed: 1 });
        // A room already on doomed, through the shared pool: its client is connected when the KMS dies.
        const before = await kurentoForSession(app, 'room-on-doomed', { nodeId: 'doomed' });
        expect(before.assignment.nodeId).toBe('doomed');
        await doomed.kill();
        await expect.poll(() => before.client._re.connected).toBe(false);

        // Equal weights alternate, kms first: one room there, and the next new one is doomed's.
        expect((await app.assignSession('filler')).assignment.nodeId).toBe('kms');
        expect((await admin.previewPlacements(1)).nodeIds).toEqual(['doomed']);
        const started = Date.now();
        const moved = await kurentoForSession(app, 'room-after-death');
        const tookMs = Date.now() - started;
        expect(moved).toMatchObject({ created: true, assignment: { nodeId: 'kms', reassigned: true } });
        const manager = await kurentoCall<ServerManager>((cb) => moved.client.getServerManager(cb));
        expect(await kurentoCall<ServerInfo>((cb) => manager.getInfo(cb))).toMatchObject({ type: 'KMS' });
        // It did not wait for the connection timeout (5 s by default): the refused reconnection was enough.
        expect(tookMs).toBeLessThan(2000);

        const node = await admin.getNode('doomed');
        expect(node.ejectedUntil).not.toBeNull();
        const { events } = await admin.listEvents({ nodeId: 'doomed', types: ['node.ejected'] });
        expect(events).toHaveLength(1);
        expect(events[0]?.data.reason).toMatch(
          new RegExp(`^cannot connect to the KMS at ${doomed.url}: the (last )?connection attempt failed`),
        );
        // The room that was there moves on its next call too; nothing new goes to doomed while it is ejected.
        expect((await app.assignSession('room-on-doomed')).assignment).toMatchObject({
          nodeId: 'kms',
          reassigned: true,
        });
        expect((await admin.previewPlacements(5)).nodeIds).toEqual(['kms', 'kms', 'kms', 'kms', 'kms']);
        for (const id of ['room-on-doomed', 'room-after-death', 'filler']) await app.releaseSession(id);
      } finally {
        closeKurentoClients();
        await doomed.stop();
      }
    });
  });
});
