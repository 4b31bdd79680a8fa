import type { Harness } from './harness';

/**
 * Every operation of the API, keyed `method /path/{template}` as in the OpenAPI document, with a request that
 * succeeds in the world `fleetWorld()` builds, and the requests that give its own errors. Tests that go over
 * every route read this table, and fail when the document has an operation it lacks.
 */
export interface Operation {
  /**
   * A request that succeeds: `{appTokenId}` and `{webhookId}` stand for the ids of the world's app token and
   * webhook.
   */
  path: string;
  body?: unknown;
  /** Roles other than admin that may call it; any other role gets 403. */
  roles: ('app' | 'agentOfA')[];
  /** For an operation without a JSON body that reads a path or a query: a request whose input is invalid. */
  invalid?: { path: string };
  /** Requests it answers with its own 404 and 409. */
  notFound?: { path: string; body?: unknown };
  conflict?: { path: string; body?: unknown };
}

const kms = {
  version: '7.3.0',
  cpuCount: 4,
  usedCpuPercent: 10,
  usedMemoryKiB: 1,
  pipelines: 0,
  startedAt: '2026-01-01T00:00:00.000Z',
};

export const operations: Record<string, Operation> = {
  'post /v1/nodes': {
    path: '/v1/nodes',
    body: {
      id: 'n',
      uri: 'ws://n:8888/kurento',
      weight: 1,
      maxSessions: 5,
      region: 'eu',
      labels: { rack: 'r1' },
    },
    roles: [],
    conflict: { path: '/v1/nodes', body: { id: 'a', uri: 'ws://other:8888/kurento' } },
  },
  'get /v1/nodes': { path: '/v1/nodes', roles: [] },
  'get /v1/nodes/{id}': {
    path: '/v1/nodes/a',
    roles: [],
    invalid: { path: '/v1/nodes/%00' },
    notFound: { path: '/v1/nodes/zz' },
  },
  'patch /v1/nodes/{id}': {
    path: '/v1/nodes/a',
    body: { weight: 2, region: 'eu', labels: { rack: 'r1' } },
    roles: [],
    notFound: { path: '/v1/nodes/zz', body: { weight: 2 } },
  },
  'delete /v1/nodes/{id}': {
    path: '/v1/nodes/b?force=true',
    roles: [],
    invalid: { path: '/v1/nodes/b?force=yes' },
    notFound: { path: '/v1/nodes/zz' },
    conflict: { path: '/v1/nodes/a' },
  },
  'put /v1/weights': {
    path: '/v1/weights',
    body: { weights: { a: 3 } },
    roles: [],
    notFound: { path: '/v1/weights', body: { weights: { zz: 1 } } },
  },
  'post /v1/nodes/{id}/agent-token': {
    path: '/v1/nodes/b/agent-token',
    roles: [],
    invalid: { path: '/v1/nodes/%00/agent-token' },
    notFound: { path: '/v1/nodes/zz/agent-token' },
  },
  'post /v1/nodes/{id}/heartbeat': {
    path: '/v1/nodes/a/heartbeat',
    body: { connected: true, kms, sessionIds: ['s'], agent: { version: '0.1.0', startedAt: kms.startedAt } },
    roles: ['agentOfA'],
    notFound: { path: '/v1/nodes/zz/heartbeat', body: { connected: true } },
  },
  'post /v1/sessions': {
    path: '/v1/sessions',
    body: { sessionId: 't', nodeId: 'a' },
    roles: ['app'],
    notFound: { path: '/v1/sessions', body: { sessionId: 'u', nodeId: 'zz' } },
    conflict: { path: '/v1/sessions', body: { sessionId: 'u', nodeId: 'c' } },
  },
  'get /v1/sessions': {
    path: '/v1/sessions?nodeId=a&limit=10',
    roles: ['app'],
    invalid: { path: '/v1/sessions?limit=0x10' },
  },
  'get /v1/sessions/{sessionId}': {
    path: '/v1/sessions/s',
    roles: ['app'],
    invalid: { path: '/v1/sessions/%00' },
    notFound: { path: '/v1/sessions/zz' },
  },
  'delete /v1/sessions/{sessionId}': {
    path: '/v1/sessions/s',
    roles: ['app'],
    invalid: { path: '/v1/sessions/%00' },
    notFound: { path: '/v1/sessions/zz' },
  },
  'post /v1/tokens': { path: '/v1/tokens', body: { role: 'app', name: 'x' }, roles: [] },
  'get /v1/tokens': { path: '/v1/tokens', roles: [] },
  'delete /v1/tokens/{id}': {
    path: '/v1/tokens/{appTokenId}',
    roles: [],
    invalid: { path: '/v1/tokens/not-a-token-id' },
    notFound: { path: '/v1/tokens/0123456789abcdef' },
  },
  'get /v1/events': {
    path: '/v1/events?nodeId=a&limit=10&types=node.up,session.placed&after=0',
    roles: [],
    invalid: { path: '/v1/events?limit=0x10' },
  },
  'get /v1/events/stream': {
    path: '/v1/events/stream?types=node.up,session.placed&after=0',
    roles: [],
    invalid: { path: '/v1/events/stream?after=0x10' },
  },
  'post /v1/webhooks': {
    path: '/v1/webhooks',
    body: { url: 'https://app.example.com/hook', types: ['node.down'], description: 'alerts' },
    roles: [],
  },
  'get /v1/webhooks': { path: '/v1/webhooks', roles: [] },
  'delete /v1/webhooks/{id}': {
    path: '/v1/webhooks/{webhookId}',
    roles: [],
    invalid: { path: '/v1/webhooks/not-a-webhook-id' },
    notFound: { path: '/v1/webhooks/wh_0123456789abcdef' },
  },
  'get /v1/webhooks/{id}/deliveries': {
    path: '/v1/webhooks/{webhookId}/deliveries?limit=10',
    roles: [],
    invalid: { path: '/v1/webhooks/{webhookId}/deliveries?limit=0x10' },
    notFound: { path: '/v1/webhooks/wh_0123456789abcdef/deliveries' },
  },
  'get /v1/placements/preview': {
    path: '/v1/placements/preview?count=5',
    roles: [],
    invalid: { path: '/v1/placements/preview?count=0x10' },
  },
  'get /v1/placement-policy': { path: '/v1/placement-policy', roles: [] },
  'get /v1/topology': { path: '/v1/topology', roles: ['app'] },
  'post /v1/nodes/{id}/failures': {
    path: '/v1/nodes/b/failures',
    body: { reason: 'connect ECONNREFUSED' },
    roles: ['app'],
    notFound: { path: '/v1/nodes/zz/failures', body: { reason: 'x' } },
  },
  'post /v1/sessions/{sessionId}/rename': {
    path: '/v1/sessions/s/rename',
    body: { to: 's2' },
    roles: ['app'],
    notFound: { path: '/v1/sessions/zz/rename', body: { to: 'y' } },
    conflict: { path: '/v1/sessions/s/rename', body: { to: 'r' } },
  },
  'get /v1/placements': {
    path: '/v1/placements?limit=10',
    roles: [],
    invalid: { path: '/v1/placements?limit=0x10' },
  },
  'get /healthz': { path: '/healthz', roles: [] },
  'get /metrics': { path: '/metrics', roles: [] },
};

export interface FleetWorld {
  tokens: { app: string; agentOfA: string };
  appTokenId: string;
  webhookId: string;
}

/**
 * Nodes a and b (up), c (disabled), sessions s and r on a, an app token and a's agent token, and a webhook
 * (to a port nothing listens on; no test here delivers).
 */
export async function fleetWorld(h: Harness): Promise<FleetWorld> {
  const { a: agentOfA } = await h.addUpNodes({ a: 1, b: 1 });
  await h.addNode('c');
  await h.call('PATCH', '/v1/nodes/c', { body: { state: 'disabled' } });
  const placed = await h.json('POST', '/v1/sessions', { body: { sessionId: 's' } });
  if (placed.body.nodeId !== 'a')
    throw new Error(`session s: ${placed.status} ${JSON.stringify(placed.body)}`);
  await h.json('POST', '/v1/sessions', { body: { sessionId: 'r', nodeId: 'a' } });
  const token = await h.json('POST', '/v1/tokens', { body: { role: 'app', name: 'world' } });
  const webhook = await h.json('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook' } });
  return {
    tokens: { app: token.body.token, agentOfA: agentOfA! },
    appTokenId: token.body.id,
    webhookId: webhook.body.webhook.id,
  };
}
