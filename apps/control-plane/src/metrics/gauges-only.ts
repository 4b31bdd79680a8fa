import type { Node } from '@kurento-fleet/contract';
import { type GaugeFamily, type Metrics, nodeGauges, prometheusContentType } from './metrics';

/**
 * Metrics for the Workers runtime: the per-node gauges only, read from D1 at scrape time, so they are right
 * whichever isolate answers. Counters and the latency histogram are left out on purpose: requests spread over
 * many short-lived isolates, and a scrape reaches one of them at random, so per-isolate counters would jump
 * back and forth (Cloudflare's own analytics count the Worker's requests). prom-client needs Node built-ins,
 * which the Worker bundle must not contain, so this formats the few gauge lines itself, exactly as prom-client
 * does (gauges-only.test.ts compares the two).
 */
export function gaugesOnlyMetrics(): Metrics {
  return {
    contentType: prometheusContentType,
    recordAssignment() {},
    observeRequest() {},
    render: async (nodes: readonly Node[], now: number) =>
      `${nodeGauges(nodes, now).map(formatGauge).join('\n\n')}\n`,
  };
}

const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return String(value);
}

/** One gauge family in the text format 0.0.4. */
function formatGauge(family: GaugeFamily): string {
  const lines = [`# HELP ${family.name} ${escapeText(family.help)}`, `# TYPE ${family.name} gauge`];
  for (const { labels, value } of family.samples) {
    const pairs = Object.entries(labels).map(
      ([name, v]) => `${name}="${escapeText(v).replace(/"/g, '\\"')}"`,
    );
    lines.push(`${family.name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
  }
  return lines.join('\n');
}
