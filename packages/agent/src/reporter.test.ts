import { afterEach, describe, expect, it } from 'vitest';
import { type Reporter, type ReporterOptions, startReporter } from './reporter';
import { captureLogger } from './testing/capture-logger';
import { FakeClock } from './testing/fake-clock';
import { sampleReport } from './testing/fake-connection';
import { connectionRefused, type FakeAnswer, FakeFetch } from './testing/fake-fetch';

const agent = { version: '0.1.0', startedAt: '2025-01-01T00:00:00.000Z' };
const up = { connected: true, kms: sampleReport() };
const down = { connected: false };

function setup(options: Partial<ReporterOptions> = {}) {
  const clock = new FakeClock();
  const fake = new FakeFetch(() => clock.now());
  const { log, lines, messages } = captureLogger();
  const reporter = startReporter({
    fleetUrl: 'http://cp.test:8080/',
    nodeId: 'kms-1',
    agentToken: 'kf_agent_secret',
    agent,
    clock,
    log,
    fetch: fake.fetch,
    // Jitter pinned to the top of the range: delays are exactly 250, 500, 1000, … 5000.
    random: () => 1,
    ...options,
  });
  reporters.push(reporter);
  const since = (from: number) => fake.requests.slice(from).map((request) => (request.at ?? 0) - clock.now());
  return { clock, fake, reporter, lines, messages, since };
}

const reporters: Reporter[] = [];
afterEach(async () => {
  await Promise.all(reporters.splice(0).map((reporter) => reporter.stop()));
});

/** Gaps between consecutive requests, in fake ms. */
function gaps(fake: FakeFetch): number[] {
  const times = fake.requests.map((request) => request.at ?? 0);
  return times.slice(1).map((time, i) => time - (times[i] ?? 0));
}

describe('reporter: the heartbeat contract', () => {
  it('sends nothing before the first KMS state', async () => {
    const { clock, fake } = setup();
    await clock.advance(10_000);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends the first state at once: POST, bearer token, JSON body with the agent object', async () => {
    const { clock, fake, reporter, messages } = setup();
    reporter.update(up, false);
    await clock.advance(0);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      url: 'http://cp.test:8080/v1/nodes/kms-1/heartbeat',
      method: 'POST',
      headers: { authorization: 'Bearer kf_agent_secret', 'content-type': 'application/json' },
      body: { connected: true, kms: sampleReport(), agent },
    });
    expect(reporter.status()).toMatchObject({ sent: 1, accepted: 1, consecutiveFailures: 0 });
    expect(messages()).toContain('first heartbeat accepted');
  });

  it('reports a down KMS as {connected:false} without a kms object', async () => {
    const { clock, fake, reporter } = setup();
    reporter.update(down, true);
    await clock.advance(0);
    expect(fake.requests[0]?.body).toStrictEqual({ connected: false, agent });
  });

  it('escapes the node id in the path', async () => {
    const { clock, fake, reporter } = setup({ nodeId: 'a b/c' });
    reporter.update(up, true);
    await clock.advance(0);
    expect(fake.requests[0]?.url).toBe('http://cp.test:8080/v1/nodes/a%20b%2Fc/heartbeat');
  });
});

describe('reporter: cadence', () => {
  it('takes the interval from every answer', async () => {
    const { clock, fake, reporter } = setup({ initialIntervalMs: 2000 });
    let interval = 500;
    fake.answer = () => ({ status: 200, body: { heartbeatIntervalMs: interval } });
    reporter.update(up, true);
    await clock.advance(1600);
    expect(gaps(fake)).toEqual([500, 500, 500]);
    interval = 1000;
    await clock.advance(3000);
    // The answer to the beat at 1500 still said 500; from then on, 1000.
    expect(gaps(fake).slice(3)).toEqual([500, 1000, 1000]);
    expect(reporter.status().intervalMs).toBe(1000);
  });

  it('sends the latest state at each beat without waking early for non-urgent updates', async () => {
    const { clock, fake, reporter } = setup();
    reporter.update(up, true);
    await clock.advance(100);
    reporter.update({ connected: true, kms: sampleReport({ pipelines: 7 }) }, false);
    await clock.advance(1000);
    expect(fake.requests).toHaveLength(1);
    await clock.advance(900);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.body.kms.pipelines).toBe(7);
  });

  it('sends a transition at once, between beats', async () => {
    const { clock, fake, reporter } = setup();
    reporter.update(up, true);
    await clock.advance(700);
    reporter.update(down, true);
    await clock.advance(0);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.at).toBe((fake.requests[0]?.at ?? 0) + 700);
    expect(fake.requests[1]?.body).toMatchObject({ connected: false });
    // And the cadence restarts from there.
    await clock.advance(2000);
    expect(gaps(fake)).toEqual([700, 2000]);
  });

  it('a transition during a heartbeat in flight goes out right after it', async () => {
    const { clock, fake, reporter } = setup();
    fake.answer = () => 'hang';
    reporter.update(up, true);
    await clock.advance(0);
    const first = fake.requests[0];
    fake.answer = () => ({ status: 200, body: { heartbeatIntervalMs: 2000 } });
    reporter.update(down, true);
    await clock.advance(0);
    expect(fake.requests).toHaveLength(1);
    expect(first?.body.connected).toBe(true);
    await clock.advance(3000);
    expect(fake.requests[1]?.body.connected).toBe(false);
  });

  it.each<[string, unknown]>([
    ['no body', ''],
    ['not JSON', 'ok'],
    ['no interval', { status: 'fine' }],
    ['a zero interval', { heartbeatIntervalMs: 0 }],
    ['a string interval', { heartbeatIntervalMs: '500' }],
  ])('keeps the current interval when the answer has %s', async (_name, body) => {
    const { clock, fake, reporter, messages } = setup({ initialIntervalMs: 2000 });
    fake.answer = () => ({ status: 200, body });
    reporter.update(up, true);
    await clock.advance(4000);
    expect(gaps(fake)).toEqual([2000, 2000]);
    expect(reporter.status().consecutiveFailures).toBe(0);
    expect(messages()).toContain(
      'heartbeat answer without a valid heartbeatIntervalMs; keeping the current interval',
    );
  });

  it('never goes below 100 ms, whatever the control plane says', async () => {
    const { clock, fake, reporter } = setup();
    fake.answer = () => ({ status: 200, body: { heartbeatIntervalMs: 1 } });
    reporter.update(up, true);
    await clock.advance(1000);
    expect(fake.requests).toHaveLength(11);
  });
});

describe('reporter: the control plane failing', () => {
  const failures: Array<[string, FakeAnswer, RegExp]> = [
    ['refuses connections', { error: connectionRefused() }, /^fetch failed \(ECONNREFUSED\)$/],
    [
      'answers 500',
      { status: 500, body: { error: { code: 'INTERNAL', message: 'database is locked' } } },
      /^HTTP 500: database is locked$/,
    ],
    [
      'answers 503 with a non-JSON body',
      { status: 503, body: 'Service Unavailable' },
      /^HTTP 503: Service Unavailable$/,
    ],
    [
      'answers 400',
      { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'kms.cpuCount: too big' } } },
      /^HTTP 400: kms.cpuCount/,
    ],
  ];

  it.each(failures)(
    '%s: logs "heartbeat failed" and retries with growing backoff, capped at the heartbeat interval',
    async (_name, answer, error) => {
      const { clock, fake, reporter, lines } = setup();
      fake.answer = () => answer;
      reporter.update(up, true);
      await clock.advance(40_000);
      expect(gaps(fake).slice(0, 9)).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000, 2000, 2000]);
      const failed = lines.filter((line) => line.message === 'heartbeat failed');
      expect(failed.length).toBe(fake.requests.length);
      expect(failed[0]).toMatchObject({ level: 'warn', attempt: 1, retryInMs: 250 });
      expect(String(failed[0]?.error)).toMatch(error);
      expect(reporter.status()).toMatchObject({ consecutiveFailures: fake.requests.length, accepted: 0 });
    },
  );

  it.each([
    [401, 'the control plane does not accept the agent token'],
    [403, 'the agent token belongs to another node'],
    [404, 'the control plane does not know this node id'],
  ])('%i: logs an error with a hint and keeps retrying (an operator may fix it)', async (status, hint) => {
    const { clock, fake, reporter, lines } = setup();
    fake.answer = () => ({ status, body: { error: { code: 'X', message: 'no' } } });
    reporter.update(up, true);
    await clock.advance(20_000);
    const failed = lines.filter((line) => line.message === 'heartbeat failed');
    expect(failed[0]).toMatchObject({ level: 'error', status, hint, error: `HTTP ${status}: no` });
    expect(fake.requests.length).toBeGreaterThanOrEqual(6);
    // The operator fixes it: the next retry gets through and the cadence is normal again.
    fake.answer = () => ({ status: 200, body: { heartbeatIntervalMs: 2000 } });
    await clock.advance(5000);
    expect(reporter.status().consecutiveFailures).toBe(0);
  });

  it('gives up on a slow answer after the request timeout and retries', async () => {
    const { clock, fake, reporter, lines } = setup({ requestTimeoutMs: 3000 });
    fake.answer = () => 'hang';
    reporter.update(up, true);
    await clock.advance(3000);
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
    expect(lines.find((line) => line.message === 'heartbeat failed')).toMatchObject({
      error: 'no answer within 3000 ms',
      retryInMs: 250,
    });
    await clock.advance(250);
    expect(fake.requests).toHaveLength(2);
  });

  it('a fetch that throws synchronously is a failure like any other', async () => {
    const { clock, fake, reporter } = setup();
    fake.answer = () => {
      throw new Error('bad url');
    };
    reporter.update(up, true);
    await clock.advance(1000);
    expect(reporter.status()).toMatchObject({ lastFailure: 'bad url' });
    expect(fake.requests.length).toBeGreaterThan(1);
  });

  it('jitters the delay within the upper half of each step', async () => {
    const { clock, fake, reporter } = setup({ random: () => 0 });
    fake.answer = () => ({ error: connectionRefused() });
    reporter.update(up, true);
    await clock.advance(20_000);
    expect(gaps(fake).slice(0, 7)).toEqual([125, 250, 500, 1000, 2000, 2000, 2000]);
  });

  it('caps the backoff at its own maximum when the heartbeat interval is longer', async () => {
    const { clock, fake, reporter } = setup();
    fake.answer = () => ({ status: 200, body: { heartbeatIntervalMs: 30_000 } });
    reporter.update(up, true);
    await clock.advance(0);
    fake.answer = () => ({ error: connectionRefused() });
    await clock.advance(60_000);
    expect(gaps(fake).slice(0, 7)).toEqual([30_000, 250, 500, 1000, 2000, 4000, 5000]);
  });

  it('sends a transition at once even while backing off', async () => {
    const { clock, fake, reporter } = setup();
    fake.answer = () => ({ error: connectionRefused() });
    reporter.update(up, true);
    await clock.advance(4000);
    const count = fake.requests.length;
    reporter.update(down, true);
    await clock.advance(0);
    expect(fake.requests).toHaveLength(count + 1);
    expect(fake.requests.at(-1)?.body.connected).toBe(false);
  });

  it('recovers: back to the normal cadence, failure count reset, and says so', async () => {
    const { clock, fake, reporter, lines } = setup();
    fake.answer = () => ({ error: connectionRefused() });
    reporter.update(up, true);
    await clock.advance(10_000);
    fake.answer = () => ({ status: 200, body: { heartbeatIntervalMs: 1000 } });
    // The retry due at 12 750 gets through, then 1000 ms beats.
    await clock.advance(6000);
    const recovered = lines.find((line) => line.message === 'heartbeat recovered');
    expect(recovered).toMatchObject({ level: 'info' });
    expect(recovered?.failedAttempts).toBeGreaterThanOrEqual(5);
    expect(recovered?.failingForMs).toBeGreaterThanOrEqual(10_000);
    expect(reporter.status().consecutiveFailures).toBe(0);
    const recent = gaps(fake).slice(-3);
    expect(recent).toEqual([1000, 1000, 1000]);
    // A new outage starts the backoff from the bottom again.
    fake.answer = () => ({ error: connectionRefused() });
    const before = fake.requests.length;
    await clock.advance(1000 + 250 + 500);
    expect(fake.requests.length - before).toBe(3);
  });
});

describe('reporter: stop', () => {
  it('aborts a heartbeat in flight and sends nothing more', async () => {
    const { clock, fake, reporter } = setup();
    fake.answer = () => 'hang';
    reporter.update(up, true);
    await clock.advance(10);
    await reporter.stop();
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
    await clock.advance(60_000);
    expect(fake.requests).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('stops while idle before the first state', async () => {
    const { clock, reporter } = setup();
    await reporter.stop();
    expect(clock.pending).toBe(0);
  });
});
