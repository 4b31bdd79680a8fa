import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from './testing/capture-logger';
import { FakeClock } from './testing/fake-clock';
import { FakeKmsConnection, sampleReport } from './testing/fake-connection';
import { startWatcher, type Watcher, type WatcherUpdate } from './watcher';

function setup(options: { intervalMs?: number; deadlineMs?: number } = {}) {
  const clock = new FakeClock();
  const connection = new FakeKmsConnection();
  const { log, lines, messages } = captureLogger();
  const updates: WatcherUpdate[] = [];
  const watcher = startWatcher({
    connection,
    clock,
    log,
    intervalMs: options.intervalMs ?? 1000,
    deadlineMs: options.deadlineMs ?? 1500,
    onUpdate: (update) => updates.push(update),
  });
  watchers.push(watcher);
  return { clock, connection, watcher, updates, lines, messages };
}

const watchers: Watcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.stop()));
});

describe('watcher: probing', () => {
  it('probes at once, then every interval, with the configured deadline', async () => {
    const { clock, connection, watcher } = setup({ intervalMs: 1000, deadlineMs: 700 });
    await clock.advance(0);
    expect(connection.probes).toEqual([700]);
    expect(watcher.state().status).toBe('up');
    await clock.advance(999);
    expect(connection.probes).toHaveLength(1);
    await clock.advance(1);
    expect(connection.probes).toHaveLength(2);
    await clock.advance(3000);
    expect(connection.probes).toHaveLength(5);
  });

  it("starts 'unknown' and reports the first probe as a transition", async () => {
    const { clock, watcher, updates, lines } = setup();
    expect(watcher.state().status).toBe('unknown');
    await clock.advance(0);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ transition: true, restarted: false, state: { status: 'up' } });
    expect(updates[0]?.state.report).toEqual(sampleReport());
    expect(lines.find((line) => line.message === 'kms up')).toMatchObject({
      level: 'info',
      version: '7.3.0',
    });
  });

  it('sends an update after every probe, a transition only when the status changes', async () => {
    const { clock, updates } = setup();
    await clock.advance(2000);
    expect(updates.map((update) => update.transition)).toEqual([true, false, false]);
  });

  it('never runs two probes at once: a slow probe delays the next one', async () => {
    const { clock, connection } = setup({ intervalMs: 1000, deadlineMs: 1500 });
    connection.behave(
      () =>
        new Promise((resolve) => clock.setTimeout(() => resolve({ ok: true, report: sampleReport() }), 1300)),
    );
    await clock.advance(5000);
    expect(connection.maxInFlight).toBe(1);
    // 0, 1300, 2600, 3900: each starts as the previous one ends.
    expect(connection.probes).toHaveLength(4);
  });
});

describe('watcher: every failure marks the KMS down at once', () => {
  it.each([
    ['an error', (c: FakeKmsConnection) => c.down('getInfo: Invalid session'), 'getInfo: Invalid session'],
    [
      'a missed deadline (as the connection reports it)',
      (c: FakeKmsConnection) => c.down('no answer within 1500 ms (getUsedCpu)'),
      'no answer within 1500 ms (getUsedCpu)',
    ],
    ['a probe that never settles', (c: FakeKmsConnection) => c.hang(), 'probe did not finish within 1600 ms'],
    ['a probe that throws', (c: FakeKmsConnection) => c.throwing(new Error('boom')), 'probe failed: boom'],
    ['a probe that rejects', (c: FakeKmsConnection) => c.rejecting(new Error('nope')), 'probe failed: nope'],
  ])('%s', async (_name, arrange, reason) => {
    const { clock, connection, watcher, updates, lines } = setup();
    await clock.advance(0);
    expect(watcher.state().status).toBe('up');
    arrange(connection);
    await clock.advance(1000 + 1600);
    expect(watcher.state()).toMatchObject({ status: 'down', reason });
    // The last good report is kept for the operator; the reporter does not send it while down.
    expect(watcher.state().report).toEqual(sampleReport());
    const down = updates.find((update) => update.state.status === 'down');
    expect(down).toMatchObject({ transition: true });
    const line = lines.find((entry) => entry.message === 'kms down');
    expect(line).toMatchObject({ level: 'warn', reason });
    expect(line?.upForMs).toBeTypeOf('number');
  });

  it('a KMS down from the start is reported down by the first probe', async () => {
    const { clock, connection, watcher, updates, messages } = setup();
    connection.down('not connected to the KMS: connect ECONNREFUSED 127.0.0.1:8888');
    await clock.advance(0);
    expect(watcher.state().status).toBe('down');
    expect(updates[0]).toMatchObject({ transition: true });
    expect(messages()).toContain('kms down');
  });

  it('keeps probing while down, without a new transition or a new "kms down" line', async () => {
    const { clock, connection, updates, messages } = setup();
    connection.down();
    await clock.advance(5000);
    expect(connection.probes.length).toBeGreaterThanOrEqual(6);
    expect(updates.filter((update) => update.transition)).toHaveLength(1);
    expect(messages().filter((message) => message === 'kms down')).toHaveLength(1);
  });

  it('keeps going after a probe that never settled', async () => {
    const { clock, connection, watcher } = setup({ intervalMs: 1000, deadlineMs: 1500 });
    connection.hang();
    await clock.advance(1600);
    expect(watcher.state().status).toBe('down');
    // The next probe started as the first one was given up, and hangs too.
    connection.up();
    await clock.advance(1600);
    expect(watcher.state().status).toBe('up');
  });
});

describe('watcher: recovery', () => {
  it('goes up again on the first good probe, logging how long it was down and why', async () => {
    const { clock, connection, watcher, updates, lines } = setup();
    connection.down('not connected');
    await clock.advance(3000);
    connection.up();
    await clock.advance(1000);
    expect(watcher.state().status).toBe('up');
    expect(watcher.state().reason).toBeUndefined();
    expect(updates.at(-1)).toMatchObject({ transition: true, state: { status: 'up' } });
    const up = lines.filter((line) => line.message === 'kms up').at(-1);
    expect(up).toMatchObject({ previousReason: 'not connected' });
    expect(up?.downForMs).toBeGreaterThanOrEqual(3000);
  });
});

describe('watcher: connection events probe without waiting for the interval', () => {
  it.each(['disconnected', 'connected', 'restarted'] as const)(
    "'%s' triggers a probe at once",
    async (event) => {
      const { clock, connection } = setup({ intervalMs: 10_000 });
      await clock.advance(100);
      expect(connection.probes).toHaveLength(1);
      connection.emit(event);
      await clock.advance(0);
      expect(connection.probes).toHaveLength(2);
    },
  );

  it('a socket lost marks the KMS down within milliseconds', async () => {
    const { clock, connection, watcher } = setup({ intervalMs: 10_000 });
    await clock.advance(100);
    connection.down('not connected to the KMS: connection lost');
    connection.emit('disconnected');
    await clock.advance(0);
    expect(watcher.state().status).toBe('down');
  });

  it('an event during a probe runs another probe right after it', async () => {
    const { clock, connection } = setup({ intervalMs: 10_000 });
    connection.behave(
      () =>
        new Promise((resolve) => clock.setTimeout(() => resolve({ ok: true, report: sampleReport() }), 200)),
    );
    await clock.advance(100);
    connection.emit('connected');
    await clock.advance(100);
    await clock.advance(0);
    expect(connection.probes).toHaveLength(2);
    expect(connection.maxInFlight).toBe(1);
  });

  it('a storm of events cannot make it spin: probes stay at least 50 ms apart', async () => {
    const { clock, connection } = setup({ intervalMs: 10_000 });
    connection.down();
    for (let i = 0; i < 100; i++) {
      connection.emit('disconnected');
      await clock.advance(1);
    }
    expect(connection.probes.length).toBeLessThanOrEqual(3);
  });
});

describe('watcher: restarts', () => {
  it('a new startedAt is a restart, reported once', async () => {
    const { clock, connection, watcher, updates, lines } = setup();
    await clock.advance(0);
    connection.up(sampleReport({ startedAt: '2025-01-01T00:10:00.000Z' }));
    await clock.advance(1000);
    await clock.advance(1000);
    expect(updates.map((update) => update.restarted)).toEqual([false, true, false]);
    expect(watcher.state().restarts).toBe(1);
    expect(lines.find((line) => line.message === 'kms restarted')).toMatchObject({
      level: 'warn',
      previousStartedAt: '2025-01-01T00:00:00.000Z',
      startedAt: '2025-01-01T00:10:00.000Z',
    });
  });

  it('a restart through a down period is still noticed when it comes back', async () => {
    const { clock, connection, watcher, updates } = setup();
    await clock.advance(0);
    connection.down();
    await clock.advance(2000);
    connection.up(sampleReport({ startedAt: '2025-01-01T00:10:00.000Z' }));
    await clock.advance(1000);
    expect(updates.at(-1)).toMatchObject({ transition: true, restarted: true });
    expect(watcher.state().restarts).toBe(1);
  });

  it("the connection's signal counts when startedAt did not change (1-second resolution)", async () => {
    const { clock, connection, watcher, updates } = setup({ intervalMs: 10_000 });
    await clock.advance(0);
    connection.emit('restarted');
    await clock.advance(100);
    expect(updates.at(-1)).toMatchObject({ restarted: true });
    expect(watcher.state().restarts).toBe(1);
  });

  it('a signal for a restart already seen through startedAt is not counted twice', async () => {
    const { clock, connection, watcher } = setup({ intervalMs: 10_000 });
    await clock.advance(0);
    connection.up(sampleReport({ startedAt: '2025-01-01T00:10:00.000Z' }));
    connection.emit('connected');
    await clock.advance(100);
    expect(watcher.state().restarts).toBe(1);
    connection.emit('restarted');
    await clock.advance(100);
    expect(watcher.state().restarts).toBe(1);
  });

  it('a signal waits for a successful probe to be confirmed', async () => {
    const { clock, connection, watcher } = setup({ intervalMs: 1000 });
    await clock.advance(0);
    connection.down();
    connection.emit('restarted');
    await clock.advance(2000);
    expect(watcher.state().restarts).toBe(0);
    connection.up();
    await clock.advance(1000);
    expect(watcher.state().restarts).toBe(1);
  });
});

describe('watcher: robustness and stop', () => {
  it('survives an update listener that throws', async () => {
    const clock = new FakeClock();
    const connection = new FakeKmsConnection();
    const { log, messages } = captureLogger();
    const watcher = startWatcher({
      connection,
      clock,
      log,
      onUpdate: () => {
        throw new Error('listener bug');
      },
    });
    watchers.push(watcher);
    await clock.advance(3000);
    expect(connection.probes).toHaveLength(4);
    expect(messages()).toContain('probe result handling failed');
  });

  it('stop() ends the loop, even during a probe that never settles, and unsubscribes', async () => {
    const { clock, connection, watcher } = setup();
    connection.hang();
    await clock.advance(0);
    expect(connection.listenerCount).toBe(1);
    await watcher.stop();
    expect(connection.listenerCount).toBe(0);
    const count = connection.probes.length;
    await clock.advance(10_000);
    expect(connection.probes).toHaveLength(count);
    expect(clock.pending).toBe(0);
  });
});
