import { describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness, runtime } from '../testing/harness';

/** The samples of a Prometheus text exposition, keyed `name{label="value",…}` exactly as printed. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    map.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return map;
}

async function scrape(h: Harness): Promise<Map<string, number>> {
  const response = await h.call('GET', '/metrics');
  expect(response.status).toBe(200);
  return samples(await response.text());
}

const place = (h: Harness, sessionId: string) => h.call('POST', '/v1/sessions', { body: { sessionId } });

describe('GET /metrics — access', () => {
  it('answers the Prometheus text format 0.0.4 to an admin', async () => {
    const h = await createHarness();
    const response = await h.call('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('# TYPE fleet_node_up gauge');
  });

  it('refuses no token (401) and an app token (403)', async () => {
    const h = await createHarness();
    await expectError(await h.call('GET', '/metrics', { token: null }), 401, 'UNAUTHORIZED');
    await expectError(await h.call('GET', '/metrics', { token: await h.appToken() }), 403, 'FORBIDDEN');
  });

  it('is open with FLEET_METRICS_PUBLIC=true, and documented without security then', async () => {
    const h = await createHarness({ metricsPublic: true });
    const response = await h.call('GET', '/metrics', { token: null });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('# TYPE fleet_node_up gauge');
    const { body } = await h.json('GET', '/openapi.json', { token: null });
    expect(body.paths['/metrics'].get.security).toEqual([]);
    expect(Object.keys(body.paths['/metrics'].get.responses)).toEqual(['200', '413', '500', '503']);
  });
});

describe('GET /metrics — per-node gauges, from the database at scrape time', () => {
  it('reports health, weight, sessions, limits, KMS load and heartbeat age per node', async () => {
    const h = await createHarness();
    const { a: agentA } = await h.addUpNodes({ a: 5 });
    await h.addNode('b', 1, { maxSessions: 40, region: 'eu-west' });
    await h.heartbeat('a', agentA!, {
      connected: true,
      kms: { version: '7.3.0', cpuCount: 4, usedCpuPercent: 12.5, usedMemoryKiB: 2048, pipelines: 3 },
    });
    for (const id of ['s1', 's2']) expect((await place(h, id)).status).toBe(201);
    h.clock.advance(1500);

    const m = await scrape(h);
    expect(
      m.get(
        'fleet_node_info{node="a",uri="ws://127.0.0.1:8888/kurento?node=a",state="active",health="up",region=""}',
      ),
    ).toBe(1);
    expect(
      m.get(
        'fleet_node_info{node="b",uri="ws://127.0.0.1:8888/kurento?node=b",state="active",health="unknown",region="eu-west"}',
      ),
    ).toBe(1);
    expect(m.get('fleet_node_up{node="a"}')).toBe(1);
    expect(m.get('fleet_node_up{node="b"}')).toBe(0);
    expect(m.get('fleet_node_weight{node="a"}')).toBe(5);
    expect(m.get('fleet_node_weight{node="b"}')).toBe(1);
    expect(m.get('fleet_node_active_sessions{node="a"}')).toBe(2);
    expect(m.get('fleet_node_active_sessions{node="b"}')).toBe(0);
    expect(m.get('fleet_node_max_sessions{node="b"}')).toBe(40);
    expect(m.has('fleet_node_max_sessions{node="a"}')).toBe(false);
    expect(m.get('fleet_node_heartbeat_age_seconds{node="a"}')).toBe(1.5);
    // 12.5 % of one core, on a 4-core machine.
    expect(m.get('fleet_node_kms_cpu_usage_ratio{node="a"}')).toBe(0.03125);
    expect(m.get('fleet_node_kms_memory_bytes{node="a"}')).toBe(2048 * 1024);
    expect(m.get('fleet_node_kms_pipelines{node="a"}')).toBe(3);
    // b never reported: no age and no KMS figures, rather than zeros that would read as "fresh" and "idle".
    for (const name of ['heartbeat_age_seconds', 'kms_cpu_usage_ratio', 'kms_memory_bytes', 'kms_pipelines'])
      expect(m.has(`fleet_node_${name}{node="b"}`), name).toBe(false);
  });

  it('follows the fleet: a node down, a changed weight, a deleted node', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    await h.heartbeat('b', tokens.b!, { connected: false });
    await h.json('PATCH', '/v1/nodes/a', { body: { weight: 7, state: 'draining' } });
    let m = await scrape(h);
    expect(m.get('fleet_node_up{node="b"}')).toBe(0);
    expect(m.get('fleet_node_weight{node="a"}')).toBe(7);
    expect([...m.keys()].find((key) => key.startsWith('fleet_node_info{node="a"'))).toContain(
      'state="draining"',
    );
    await h.call('DELETE', '/v1/nodes/b');
    m = await scrape(h);
    expect([...m.keys()].filter((key) => key.includes('node="b"'))).toEqual([]);
  });
});

describe.runIf(runtime === 'node')('GET /metrics — counters of this process (Node)', () => {
  it('counts assignments by node and outcome: new, sticky, reassigned, refused', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    expect((await place(h, 's0')).status).toBe(201); // a
    expect((await place(h, 's1')).status).toBe(201); // b
    expect((await place(h, 's0')).status).toBe(200); // sticky on a
    expect((await place(h, 's0')).status).toBe(200);
    await h.heartbeat('b', tokens.b!, { connected: false });
    expect((await h.json('POST', '/v1/sessions', { body: { sessionId: 's1' } })).body.reassigned).toBe(true);
    await h.heartbeat('a', tokens.a!, { connected: false });
    expect((await place(h, 's2')).status).toBe(503);
    expect((await place(h, 's0')).status).toBe(503);

    const m = await scrape(h);
    expect(m.get('fleet_assignments_total{node="a",outcome="new"}')).toBe(1);
    expect(m.get('fleet_assignments_total{node="b",outcome="new"}')).toBe(1);
    expect(m.get('fleet_assignments_total{node="a",outcome="sticky"}')).toBe(2);
    expect(m.get('fleet_assignments_total{node="a",outcome="reassigned"}')).toBe(1);
    expect(m.get('fleet_assignments_total{outcome="refused"}')).toBe(2);
    expect([...m.keys()].filter((key) => key.includes('node=""'))).toEqual([]);
    expect(m.has('fleet_assignments_total{node="b",outcome="sticky"}')).toBe(false);
  });

  it('times requests by route pattern, method and status, never by raw path', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await place(h, 'room-1');
    await h.call('GET', '/v1/sessions/room-1');
    await h.call('GET', '/v1/sessions/room-2');
    await h.call('GET', '/v1/nodes', { token: null });
    await h.call('GET', '/nowhere');

    const m = await scrape(h);
    const count = (labels: string) => m.get(`fleet_http_request_duration_seconds_count{${labels}}`);
    expect(count('method="POST",route="/v1/sessions",status="201"')).toBe(1);
    expect(count('method="GET",route="/v1/sessions/:sessionId",status="200"')).toBe(1);
    expect(count('method="GET",route="/v1/sessions/:sessionId",status="404"')).toBe(1);
    // Refused before routing, still counted under the route it was for.
    expect(count('method="GET",route="/v1/nodes",status="401"')).toBe(1);
    expect(count('method="GET",route="unmatched",status="404"')).toBe(1);
    expect(
      m.get(
        'fleet_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/sessions",status="201"}',
      ),
    ).toBe(1);
    expect([...m.keys()].filter((key) => key.includes('room-'))).toEqual([]);
  });
});

describe.runIf(runtime === 'workerd')('GET /metrics — on Workers, gauges only', () => {
  it('serves no per-isolate counters or histograms', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await place(h, 's0');
    const text = await (await h.call('GET', '/metrics')).text();
    expect(text).toContain('fleet_node_active_sessions{node="a"} 1');
    expect(text).not.toContain('fleet_assignments_total');
    expect(text).not.toContain('fleet_http_request_duration_seconds');
  });
});
