import { ConflictError } from '@kurento-fleet/client';
import { jsonLogger } from '@kurento-fleet/log';
import { describe, expect, it } from 'vitest';
import type { GatewayFleet } from './fleet';
import { FleetWrites } from './fleet-writes';
import { MemoryFleet } from './testing/memory-fleet';

const quick = { initialDelayMs: 20, maxDelayMs: 40 };

type Line = { message: string; sessionId?: string };

/** A logger whose lines are kept, parsed. */
function capturedLog() {
  const logs: Line[] = [];
  return { logs, log: jsonLogger({ write: (line) => logs.push(JSON.parse(line) as Line) }) };
}

function setUp(options = {}) {
  const fleet = new MemoryFleet([
    { id: 'a', uri: 'ws://a' },
    { id: 'b', uri: 'ws://b' },
  ]);
  const { logs, log } = capturedLog();
  const writes = new FleetWrites(fleet, log, { ...quick, ...options });
  return { fleet, writes, logs };
}

describe('FleetWrites: releases and registrations that must reach the fleet', () => {
  it('lands at once while the control plane answers', async () => {
    const { fleet, writes } = setUp();
    fleet.sessions.set('p1', 'a');
    writes.release('p1');
    writes.register('p2', 'b');
    await expect.poll(() => writes.pending).toBe(0);
    expect([...fleet.sessions]).toEqual([['p2', 'b']]);
  });

  it('keeps what the control plane cannot take, and lands it once it is back, the latest intent winning', async () => {
    const { fleet, writes, logs } = setUp();
    fleet.sessions.set('gone', 'a');
    fleet.unreachable = true;
    writes.release('gone');
    writes.register('kept', 'b');
    writes.register('flip', 'a');
    writes.release('flip');
    await expect
      .poll(() => fleet.calls.filter((c) => c.startsWith('release gone')).length)
      .toBeGreaterThan(1);
    expect(writes.pending).toBe(3);
    expect(logs.filter((l) => l.message.includes('cannot take writes now'))).toHaveLength(1);

    fleet.unreachable = false;
    await expect.poll(() => writes.pending, { timeout: 2000 }).toBe(0);
    expect([...fleet.sessions]).toEqual([['kept', 'b']]);
    // 'flip' was never registered: its release replaced the registration before either landed.
    expect(fleet.calls.filter((c) => c.startsWith('placeOn flip'))).toEqual([]);
    expect(logs.some((l) => l.message === 'the control plane took the writes that waited for it')).toBe(true);
  });

  it('retryNow sends what waits without waiting for the end of the back-off', async () => {
    const { fleet, writes } = setUp({ initialDelayMs: 60_000, maxDelayMs: 60_000 });
    fleet.unreachable = true;
    writes.register('p', 'a');
    await expect.poll(() => fleet.calls.length).toBe(1);
    fleet.unreachable = false;
    writes.retryNow();
    await expect.poll(() => writes.pending).toBe(0);
    expect(fleet.sessions.get('p')).toBe('a');
  });

  it('drops a write the control plane refuses (a 4xx), which another try would not change', async () => {
    const calls: string[] = [];
    const refusing = {
      async placeOn(sessionId: string, nodeId: string) {
        calls.push(`placeOn ${sessionId} ${nodeId}`);
        throw new ConflictError(409, 'CONFLICT', `Node '${nodeId}' is disabled and takes no sessions.`, 'r1');
      },
    } as unknown as GatewayFleet;
    const { logs, log } = capturedLog();
    const writes = new FleetWrites(refusing, log, quick);
    writes.register('p', 'x');
    await expect.poll(() => writes.pending).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toEqual(['placeOn p x']);
    expect(logs.find((l) => l.message.includes('refused a write'))?.sessionId).toBe('p');
  });

  it('never overlaps two writes of one session: a release issued during a registration goes after it', async () => {
    const order: string[] = [];
    let finishRegistration = () => {};
    const slow = {
      placeOn: (sessionId: string) =>
        new Promise<void>((resolve) => {
          order.push(`placeOn ${sessionId} started`);
          finishRegistration = () => {
            order.push(`placeOn ${sessionId} done`);
            resolve();
          };
        }),
      async release(sessionId: string) {
        order.push(`release ${sessionId}`);
      },
    } as unknown as GatewayFleet;
    const writes = new FleetWrites(slow, capturedLog().log, quick);
    writes.register('p', 'a');
    await expect.poll(() => order.length).toBe(1);
    writes.release('p');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['placeOn p started']);
    finishRegistration();
    await expect.poll(() => writes.pending).toBe(0);
    expect(order).toEqual(['placeOn p started', 'placeOn p done', 'release p']);
  });

  it('flush gives what waits a last chance within its time, and says whether anything is left', async () => {
    const { fleet, writes } = setUp();
    fleet.unreachable = true;
    writes.register('p', 'a');
    expect(await writes.flush(100)).toBe(false);
    fleet.unreachable = false;
    expect(await writes.flush(1000)).toBe(true);
    expect(fleet.sessions.get('p')).toBe('a');
  });

  it('holds at most `limit` sessions: past it the oldest is dropped, with an error logged', async () => {
    const { fleet, writes, logs } = setUp({ limit: 2 });
    fleet.unreachable = true;
    for (const id of ['p1', 'p2', 'p3']) writes.register(id, 'a');
    expect(writes.pending).toBe(2);
    expect(logs.find((l) => l.message.includes('the oldest is dropped'))?.sessionId).toBe('p1');
    fleet.unreachable = false;
    expect(await writes.flush(1000)).toBe(true);
    expect([...fleet.sessions.keys()]).toEqual(['p2', 'p3']);
  });
});
