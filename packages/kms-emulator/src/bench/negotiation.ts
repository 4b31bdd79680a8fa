import { readFileSync } from 'node:fs';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { connectRawClient, type RawKmsClient } from '../raw-client';
import type { ServerProcess } from './child';

/** What SDP negotiation costs in signalling-only mode, next to the cheapest call on the same endpoints. */
export interface NegotiationFigures {
  endpoints: number;
  /** Median latency of getName on an endpoint (the baseline) and of processOffer + gatherCandidates. */
  getNameMs: number;
  negotiateMs: number;
  /** Heap per endpoint before and after negotiating, in bytes. */
  heapPerEndpoint: number;
  heapPerNegotiatedEndpoint: number;
}

const CHROMIUM_OFFER = readFileSync(new URL('../sdp/fixtures/chromium-av.sdp', import.meta.url), 'utf8');
const IN_FLIGHT = 16;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `work` over the items with IN_FLIGHT requests outstanding; returns each item's latency in ms. */
async function timed<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const item = items[nextIndex++] as T;
      const started = performance.now();
      await work(item);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return latencies;
}

async function ok(client: RawKmsClient, method: string, params: JsonObject): Promise<JsonObject> {
  const response = await client.request(method, params, 60_000);
  if (response.error) throw new Error(`${method}: ${JSON.stringify(response.error)}`);
  return response.result as JsonObject;
}

/**
 * `count` WebRtcEndpoints (one pipeline each) answer Chromium's audio+video offer and gather candidates,
 * on a fresh signalling-only emulator.
 */
export async function measureNegotiation(server: ServerProcess, count: number): Promise<NegotiationFigures> {
  const client = await connectRawClient(server.url);
  try {
    const empty = await server.memory();
    const endpoints: string[] = [];
    for (let i = 0; i < count; i++) {
      const pipeline = (await ok(client, 'create', { type: 'MediaPipeline' })).value as string;
      const params = { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } };
      endpoints.push((await ok(client, 'create', params)).value as string);
    }
    const created = await server.memory();
    const getName = await timed(endpoints, (object) =>
      ok(client, 'invoke', { object, operation: 'getName' }),
    );
    const negotiate = await timed(endpoints, async (object) => {
      await ok(client, 'invoke', {
        object,
        operation: 'processOffer',
        operationParams: { offer: CHROMIUM_OFFER },
      });
      await ok(client, 'invoke', { object, operation: 'gatherCandidates' });
    });
    const negotiated = await server.memory();
    return {
      endpoints: count,
      getNameMs: median(getName),
      negotiateMs: median(negotiate),
      heapPerEndpoint: (created.heapUsed - empty.heapUsed) / count,
      heapPerNegotiatedEndpoint: (negotiated.heapUsed - empty.heapUsed) / count,
    };
  } finally {
    await client.close();
  }
}
