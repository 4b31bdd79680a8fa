import type { JsonObject, RawKmsClient } from '@kurento-fleet/kms-emulator';
import { describe, expect, it } from 'vitest';
import { useHarness } from './testing/harness';

async function createPipeline(client: RawKmsClient): Promise<string> {
  const response = await client.request('create', { type: 'MediaPipeline', constructorParams: {} });
  expect(response.error).toBeUndefined();
  return (response.result as { value: string }).value;
}

const getName = (object: string): JsonObject => ({ object, operation: 'getName' });

describe('gateway: the control plane away (in-process emulators, in-memory fleet)', () => {
  const h = useHarness();

  it('pipelines keep working, a new one gets a Kurento error naming why, and what was released meanwhile is released in the fleet once it is back', async () => {
    const { client, fleet } = await h.start({ a: 1, b: 1 });
    const c = await client();
    const [kept, released] = [await createPipeline(c), await createPipeline(c)];
    fleet.unreachable = true;

    expect((await c.request('invoke', getName(kept))).result).toMatchObject({ value: kept });
    const refused = await c.request('create', { type: 'MediaPipeline', constructorParams: {} });
    expect(refused.error).toMatchObject({ code: 40108, data: { type: 'MEDIA_OBJECT_NOT_AVAILABLE' } });
    expect(refused.error?.message).toContain('the control plane cannot be reached');
    expect((await c.request('release', { object: released })).error).toBeUndefined();
    // The fleet still counts it on its node: the release could not reach the control plane. The KMS's
    // ObjectDestroyed (a second trigger of the same release) is let through before the control plane returns.
    await expect.poll(() => fleet.calls.includes(`release ${released}`)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fleet.sessions.has(released)).toBe(true);

    fleet.unreachable = false;
    await expect.poll(() => fleet.sessions.has(released), { timeout: 3000 }).toBe(false);
    expect(fleet.sessions.has(kept)).toBe(true);
    expect(fleet.sessions.get(await createPipeline(c))).toMatch(/^[ab]$/);
    expect(c.socket.readyState).toBe(1);
  });

  it('a pipeline whose registration the control plane could not take is registered once it can; its temporary key goes', async () => {
    const { client, fleet, gateway } = await h.start({ a: 1 });
    const c = await client();
    // The placement goes through; the rename and the registration after it do not.
    fleet.unreachable = (call) => call.startsWith('rename') || call.startsWith('placeOn');
    const pipeline = await createPipeline(c);
    expect(fleet.sessions.has(pipeline)).toBe(false);
    await expect.poll(() => gateway.metrics.text()).toMatch(/^fleet_gateway_pending_fleet_writes 1$/m);

    fleet.unreachable = false;
    await expect.poll(() => [...fleet.sessions], { timeout: 3000 }).toEqual([[pipeline, 'a']]);
    await expect.poll(() => gateway.metrics.text()).toMatch(/^fleet_gateway_pending_fleet_writes 0$/m);
  });

  it('a pipeline a transaction creates beside an existing one is registered once the control plane can take it', async () => {
    const { client, fleet } = await h.start({ a: 1 });
    const c = await client();
    const existing = await createPipeline(c);
    fleet.unreachable = (call) => call.startsWith('placeOn');
    const answer = await c.request('transaction', {
      operations: [
        { jsonrpc: '2.0', id: 0, method: 'invoke', params: getName(existing) },
        { jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'MediaPipeline', constructorParams: {} } },
      ],
    });
    expect(answer.error).toBeUndefined();
    const results = (answer.result as { value: { result?: { value?: string } }[] }).value;
    const created = results[1]?.result?.value ?? '';
    expect(created).toMatch(/_kurento\.MediaPipeline$/);
    expect(fleet.sessions.has(created)).toBe(false);

    fleet.unreachable = false;
    await expect.poll(() => fleet.sessions.get(created), { timeout: 3000 }).toBe('a');
  });
});
