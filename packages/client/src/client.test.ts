import { describe, expect, it } from 'vitest';
import { FleetClient } from './client';
import { NoNodeAvailableError } from './errors';
import { errorBody, fakeFetch, type Scripted } from './testing/fake-fetch';

const assignment = {
  sessionId: 'room-1',
  nodeId: 'a',
  kmsUri: 'ws://a/kurento',
  assignedAt: 'x',
  reassigned: false,
};
const node = { id: 'a', uri: 'ws://a/kurento', weight: 1 };

function client(script: Scripted[]) {
  const fake = fakeFetch(script);
  const fleet = new FleetClient({
    url: 'http://fleet.test/',
    token: 'tok',
    fetch: fake.fetch,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
  return { fleet, calls: fake.calls };
}

describe('FleetClient', () => {
  it('tells a new assignment (201) from an existing one (200)', async () => {
    const { fleet, calls } = client([
      { status: 201, body: assignment },
      { status: 200, body: assignment },
    ]);
    await expect(fleet.assignSession('room-1')).resolves.toEqual({ assignment, created: true });
    await expect(fleet.assignSession('room-1', { nodeId: 'a' })).resolves.toEqual({
      assignment,
      created: false,
    });
    expect(calls.map((call) => [call.method, call.url, call.body])).toEqual([
      ['POST', 'http://fleet.test/v1/sessions', { sessionId: 'room-1' }],
      ['POST', 'http://fleet.test/v1/sessions', { sessionId: 'room-1', nodeId: 'a' }],
    ]);
    expect(calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('retries an assignment while no node is available, then throws NoNodeAvailableError', async () => {
    const noNode = { status: 503, body: errorBody('NO_NODE_AVAILABLE') };
    const { fleet, calls } = client([noNode, noNode, noNode, noNode]);
    await expect(fleet.assignSession('room-1')).rejects.toBeInstanceOf(NoNodeAvailableError);
    expect(calls).toHaveLength(4);
  });

  it.each([
    [
      'getSession',
      (f: FleetClient) => f.getSession('room/1'),
      'GET',
      '/v1/sessions/room%2F1',
      assignment,
      assignment,
    ],
    [
      'releaseSession',
      (f: FleetClient) => f.releaseSession('room-1'),
      'DELETE',
      '/v1/sessions/room-1',
      undefined,
      undefined,
    ],
    ['listNodes', (f: FleetClient) => f.listNodes(), 'GET', '/v1/nodes', { nodes: [node] }, [node]],
    ['getNode', (f: FleetClient) => f.getNode('a'), 'GET', '/v1/nodes/a', node, node],
    [
      'deleteNode',
      (f: FleetClient) => f.deleteNode('a', { force: true }),
      'DELETE',
      '/v1/nodes/a?force=true',
      undefined,
      undefined,
    ],
    [
      'deleteNode (no force)',
      (f: FleetClient) => f.deleteNode('a'),
      'DELETE',
      '/v1/nodes/a',
      undefined,
      undefined,
    ],
    [
      'rotateAgentToken',
      (f: FleetClient) => f.rotateAgentToken('a'),
      'POST',
      '/v1/nodes/a/agent-token',
      { agentToken: 'kf_x' },
      'kf_x',
    ],
    ['listTokens', (f: FleetClient) => f.listTokens(), 'GET', '/v1/tokens', { tokens: [] }, []],
    ['deleteToken', (f: FleetClient) => f.deleteToken('t1'), 'DELETE', '/v1/tokens/t1', undefined, undefined],
    [
      'listEvents',
      (f: FleetClient) => f.listEvents({ nodeId: 'a', limit: 2 }),
      'GET',
      '/v1/events?nodeId=a&limit=2',
      { events: [], nextCursor: null },
      { events: [], nextCursor: null },
    ],
    [
      'listPlacements',
      (f: FleetClient) => f.listPlacements({ limit: 3 }),
      'GET',
      '/v1/placements?limit=3',
      { placements: [] },
      [],
    ],
  ] as const)('%s: %s %s', async (_, invoke, method, path, answer, expected) => {
    const status = answer === undefined ? 204 : 200;
    const { fleet, calls } = client([{ status, body: answer }]);
    await expect(invoke(fleet)).resolves.toEqual(expected);
    expect(calls).toMatchObject([{ method, url: `http://fleet.test${path}`, body: undefined }]);
  });

  it.each([
    [
      'createNode',
      (f: FleetClient) => f.createNode({ id: 'a', uri: 'ws://a/kurento', weight: 5, labels: { zone: '1' } }),
      'POST',
      '/v1/nodes',
      { id: 'a', uri: 'ws://a/kurento', weight: 5, labels: { zone: '1' } },
      { node, agentToken: 'kf_a' },
      { node, agentToken: 'kf_a' },
    ],
    [
      'updateNode',
      (f: FleetClient) => f.updateNode('a', { state: 'draining', maxSessions: null }),
      'PATCH',
      '/v1/nodes/a',
      { state: 'draining', maxSessions: null },
      node,
      node,
    ],
    [
      'setWeights',
      (f: FleetClient) => f.setWeights({ a: 3, b: 1 }),
      'PUT',
      '/v1/weights',
      { weights: { a: 3, b: 1 } },
      { nodes: [node] },
      [node],
    ],
    [
      'createToken',
      (f: FleetClient) => f.createToken({ role: 'app', name: 'web' }),
      'POST',
      '/v1/tokens',
      { role: 'app', name: 'web' },
      { id: 't', role: 'app', name: 'web', token: 'kf_t' },
      { id: 't', role: 'app', name: 'web', token: 'kf_t' },
    ],
  ] as const)('%s: %s %s with its body', async (_, invoke, method, path, body, answer, expected) => {
    const { fleet, calls } = client([{ status: method === 'POST' ? 201 : 200, body: answer }]);
    await expect(invoke(fleet)).resolves.toEqual(expected);
    expect(calls).toMatchObject([{ method, url: `http://fleet.test${path}`, body }]);
  });

  it('iterates every session across pages, passing the cursor on', async () => {
    const page = (ids: string[], nextCursor: string | null) => ({
      status: 200,
      body: { sessions: ids.map((sessionId) => ({ ...assignment, sessionId })), nextCursor },
    });
    const { fleet, calls } = client([page(['s1', 's2'], 'c1'), page(['s3', 's4'], 'c2'), page([], null)]);
    const ids: string[] = [];
    for await (const session of fleet.iterateSessions({ nodeId: 'a', limit: 2 })) ids.push(session.sessionId);
    expect(ids).toEqual(['s1', 's2', 's3', 's4']);
    expect(calls.map((call) => call.url)).toEqual([
      'http://fleet.test/v1/sessions?nodeId=a&limit=2',
      'http://fleet.test/v1/sessions?nodeId=a&limit=2&cursor=c1',
      'http://fleet.test/v1/sessions?nodeId=a&limit=2&cursor=c2',
    ]);
  });
});
