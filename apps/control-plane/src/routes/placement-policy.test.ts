import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../testing/harness';

describe('GET /v1/placement-policy', () => {
  it('shows the defaults', async () => {
    const h = await createHarness();
    expect(await h.json('GET', '/v1/placement-policy')).toEqual({
      status: 200,
      body: {
        ejectionMs: 30_000,
        maxEjectionMs: 300_000,
        ejectionMemoryMs: 600_000,
        maxEjectedPercent: 50,
        slowStartMs: 0,
        maxCpuPercent: 85,
      },
    });
  });

  it('shows what the environment set, and changes nothing', async () => {
    const h = await createHarness({
      policy: {
        FLEET_EJECTION_MS: '5000',
        FLEET_MAX_EJECTED_PERCENT: '30',
        FLEET_SLOW_START_MS: '60000',
        FLEET_MAX_CPU_PERCENT: '70',
      },
    });
    await h.addUpNodes({ a: 1 });
    const before = await h.snapshot();
    const { body } = await h.json('GET', '/v1/placement-policy');
    expect(body).toMatchObject({
      ejectionMs: 5000,
      maxEjectionMs: 50_000,
      maxEjectedPercent: 30,
      slowStartMs: 60_000,
      maxCpuPercent: 70,
    });
    expect(await h.snapshot()).toEqual(before);
  });

  it('is for admins only', async () => {
    const h = await createHarness();
    await expectError(
      await h.call('GET', '/v1/placement-policy', { token: await h.appToken() }),
      403,
      'FORBIDDEN',
    );
    await expectError(await h.call('GET', '/v1/placement-policy', { token: null }), 401, 'UNAUTHORIZED');
  });
});
