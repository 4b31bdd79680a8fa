import type { NodeView } from '@kurento-fleet/db';
import { describe, expect, it } from 'vitest';
import { gaugesOnlyMetrics } from './gauges-only';
import { prometheusMetrics } from './prometheus';

const now = Date.UTC(2026, 0, 1, 12);

function node(id: string, extra: Partial<NodeView> = {}): NodeView {
  return {
    id,
    uri: `ws://${id}:8888/kurento`,
    weight: 1,
    state: 'active',
    health: 'up',
    lastHeartbeatAt: new Date(now - 1250).toISOString(),
    ejectedUntil: null,
    kms: { version: '7.3.0', cpuCount: 4, usedCpuPercent: 33.3, usedMemoryKiB: 1536, pipelines: 2 },
    agent: null,
    activeSessions: 3,
    maxSessions: null,
    region: null,
    labels: {},
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    ...extra,
  };
}

// Label values that need escaping (backslash, quote, newline) reach the exposition through uri and region.
const fleet = [
  node('a', { weight: 5, region: 'eu "west"\\1\nb', maxSessions: 40 }),
  node('b', { health: 'down', state: 'draining', kms: null }),
  node('c', { health: 'unknown', lastHeartbeatAt: null, kms: null, uri: 'wss://c/kurento?x="1"' }),
];

/** The `fleet_node_*` families of an exposition, as text. */
const nodeFamilies = (text: string) =>
  text
    .trim()
    .split('\n\n')
    .filter((family) => family.startsWith('# HELP fleet_node_'))
    .join('\n\n');

describe('the Workers rendering of the per-node gauges', () => {
  it('prints exactly what prom-client prints for them', async () => {
    const edge = await gaugesOnlyMetrics().render(fleet, now);
    const node = await prometheusMetrics().render(fleet, now);
    expect(nodeFamilies(edge)).toBe(nodeFamilies(node));
    expect(nodeFamilies(edge)).toContain('region="eu \\"west\\"\\\\1\\nb"');
    expect(edge.trim()).toBe(nodeFamilies(edge));
  });

  it('records nothing per isolate', async () => {
    const metrics = gaugesOnlyMetrics();
    metrics.recordAssignment('a', 'new');
    metrics.observeRequest('/v1/sessions', 'POST', 201, 0.002);
    const text = await metrics.render([], now);
    expect(text).not.toContain('fleet_assignments_total');
    expect(text).not.toContain('fleet_http_request');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

describe('the prom-client metrics', () => {
  it('keep one registry per instance, so two apps in a process count apart', async () => {
    const first = prometheusMetrics();
    const second = prometheusMetrics();
    first.recordAssignment('a', 'new');
    expect(await first.render([], now)).toContain('fleet_assignments_total{node="a",outcome="new"} 1');
    expect(await second.render([], now)).not.toContain('outcome="new"');
  });

  it('add the process and Node.js runtime metrics when asked', async () => {
    const text = await prometheusMetrics({ defaultMetrics: true }).render([], now);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).toContain('# TYPE nodejs_active_handles gauge');
    // A gauge named like a counter fails `promtool check metrics`.
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm))
      if (name!.endsWith('_total')) expect(type, name).toBe('counter');
    expect(await prometheusMetrics().render([], now)).not.toContain('process_cpu_seconds_total');
  });

  it('render a fleet twice at once without mixing the scrapes', async () => {
    const metrics = prometheusMetrics();
    const [one, two] = await Promise.all([
      metrics.render([node('a', { activeSessions: 1 })], now),
      metrics.render([node('b', { activeSessions: 2 })], now),
    ]);
    expect(one).toContain('fleet_node_active_sessions{node="a"} 1');
    expect(one).not.toContain('node="b"');
    expect(two).toContain('fleet_node_active_sessions{node="b"} 2');
    expect(two).not.toContain('node="a"');
  });
});
