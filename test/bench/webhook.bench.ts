import type { Assignment, CreatedNode, CreatedWebhook } from '@kurento-fleet/contract';
/**
 * Webhook delivery by the real control plane process (Node, SQLite file, synchronous=full) to a receiver on
 * loopback: the latency from an event's write (its `at`, taken in the transaction that commits it) to the
 * receiver having the whole delivery, one assignment at a time; and the rate of a burst of assignments from 16
 * clients, delivered one event at a time in order. Baselines, in turns with them: a bare POST of the same body
 * from this process to the same receiver (request sent → body received), and bare POSTs one after another.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/webhook.bench.ts
 *   BENCH_WEBHOOK_EVENTS=100 BENCH_WEBHOOK_BURST=500 …   (shorter)
 */
import { type ReceivedDelivery, startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import { tempDir } from '../support/temp-dir';
import { startBenchPlane } from './support/plane';
import { report } from './support/report';
import { envInt, loadNow, percentile } from './support/stats';

const EVENTS = envInt('BENCH_WEBHOOK_EVENTS', 400);
const BURST = envInt('BENCH_WEBHOOK_BURST', 2000);
const ROUNDS = 4;

/** Resolves with the next request the receiver gets after `before` requests. */
async function nextDelivery(receiver: WebhookReceiver, before: number): Promise<ReceivedDelivery> {
  await receiver.waitFor((received) => received.length > before, 10_000, 'a delivery');
  return receiver.received[before] as ReceivedDelivery;
}

async function main(): Promise<void> {
  const dir = tempDir('fleet-bench-webhook-');
  const plane = await startBenchPlane({
    FLEET_DB_PATH: `${dir.path}/fleet.db`,
    FLEET_HEARTBEAT_TIMEOUT_MS: '86400000',
  });
  const receiver = await startWebhookReceiver();
  try {
    for (const id of ['a', 'b', 'c']) {
      const created = await plane.request<CreatedNode>('POST', '/v1/nodes', {
        id,
        uri: `ws://10.0.0.1:8888/${id}`,
      });
      await plane.request('POST', `/v1/nodes/${id}/heartbeat`, { connected: true }, created.body.agentToken);
    }
    const hook = await plane.request<CreatedWebhook>('POST', '/v1/webhooks', {
      url: receiver.url,
      types: ['session.placed'],
    });
    if (hook.status !== 201) throw new Error(`POST /v1/webhooks: ${hook.status}`);
    let session = 0;
    const place = async () => {
      const { status } = await plane.request<Assignment>('POST', '/v1/sessions', {
        sessionId: `s-${session++}`,
      });
      if (status !== 201) throw new Error(`POST /v1/sessions: ${status}`);
    };
    const delivered = async () => {
      const before = receiver.received.length;
      await place();
      const delivery = await nextDelivery(receiver, before);
      return delivery.at - Date.parse(JSON.parse(delivery.body).at);
    };
    const body = receiver.received[0]?.body ?? '{"id":"1","type":"session.placed"}';
    const bare = async () => {
      const before = receiver.received.length;
      const sent = performance.timeOrigin + performance.now();
      const response = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      return (await nextDelivery(receiver, before)).at - sent;
    };
    for (let i = 0; i < 20; i++) await delivered(); // warm-up: JIT, statement caches, connections
    for (let i = 0; i < 20; i++) await bare();
    const latencies: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < EVENTS / ROUNDS; i++) latencies.push(await delivered());
      for (let i = 0; i < EVENTS / ROUNDS; i++) baseline.push(await bare());
    }
    const p50 = percentile(latencies, 50);
    report({
      bench: 'webhook',
      figure: 'delivery latency p50 (event written → receiver has it)',
      value: p50,
      unit: 'ms',
      baseline: { name: 'bare POST to the receiver, p50', value: percentile(baseline, 50), unit: 'ms' },
      ratio: p50 / 100,
      target: { ratio: 1, atMost: true },
      note: `ratio = p50 ÷ the 100 ms target; ${latencies.length} events one at a time; an event's time has ms resolution (up to 1 ms more); load ${loadNow()}`,
    });
    const p99 = percentile(latencies, 99);
    report({
      bench: 'webhook',
      figure: 'delivery latency p99',
      value: p99,
      unit: 'ms',
      baseline: { name: 'bare POST to the receiver, p99', value: percentile(baseline, 99), unit: 'ms' },
      note: `max ${Math.max(...latencies).toFixed(1)} ms`,
    });

    // A burst: 16 clients place as fast as they can; the webhook takes the events one at a time, in order.
    const start = Date.now();
    const before = receiver.received.length;
    let left = BURST;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (left-- > 0) await place();
      }),
    );
    const written = Date.now();
    await receiver.waitFor((received) => received.length >= before + BURST, 120_000, 'the burst');
    const rate = (BURST * 1000) / ((receiver.received.at(-1)?.at ?? Date.now()) - start);
    const sequentialStart = Date.now();
    for (let i = 0; i < 500; i++) await bare();
    const bareRate = (500 * 1000) / (Date.now() - sequentialStart);
    report({
      bench: 'webhook',
      figure: `burst of ${BURST} assignments from 16 clients: deliveries/s`,
      value: rate,
      unit: 'events/s',
      baseline: { name: 'bare POSTs one after another', value: bareRate, unit: 'POST/s' },
      ratio: rate / bareRate,
      note: `the assignments took ${((written - start) / 1000).toFixed(1)} s; each delivery is a POST and a durable write`,
    });
  } finally {
    await receiver.close();
    await plane.stop();
    dir.remove();
  }
}

await main();
