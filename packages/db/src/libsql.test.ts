import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { libsqlClient } from './libsql';

const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
const result = { columns: ['id', 'n'], rows: [['a', 1]] };

/** A client whose batch fails with the given errors first, then succeeds. */
function flaky(errors: Error[]) {
  let calls = 0;
  const client = {
    batch: async () => {
      calls++;
      const error = errors.shift();
      if (error) throw error;
      return [result];
    },
  } as unknown as Client;
  return { client, calls: () => calls };
}

const fast = { timeoutMs: 200, initialDelayMs: 1, maxDelayMs: 5 };

describe('libsqlClient', () => {
  it('runs a batch again while the server answers SQLITE_BUSY, and maps rows to objects', async () => {
    const { client, calls } = flaky([busy, busy, busy]);
    expect(await libsqlClient(client, fast).batch([{ sql: 'SELECT 1', params: [] }])).toEqual([
      [{ id: 'a', n: 1 }],
    ]);
    expect(calls()).toBe(4);
  });

  it('does not retry other errors', async () => {
    const { client, calls } = flaky([
      Object.assign(new Error('UNIQUE constraint failed: nodes.id'), { code: 'SQLITE_CONSTRAINT' }),
    ]);
    await expect(libsqlClient(client, fast).batch([{ sql: 'INSERT', params: [] }])).rejects.toThrow('UNIQUE');
    expect(calls()).toBe(1);
  });

  it('gives up with the BUSY error after its timeout', async () => {
    const { client } = flaky(Array.from({ length: 1000 }, () => busy));
    await expect(libsqlClient(client, fast).batch([{ sql: 'SELECT 1', params: [] }])).rejects.toBe(busy);
  });
});

describe('libsqlClient write queue', () => {
  it('sends one write batch at a time from a process, in call order', async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const client = {
      batch: async (statements: { sql: string }[]) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        order.push(statements[0]!.sql);
        inFlight--;
        if (statements[0]!.sql === 'fail') throw new Error('boom');
        return [result];
      },
    } as unknown as Client;
    const sql = libsqlClient(client, fast);
    const calls = ['a', 'fail', 'b', 'c'].map((name) => sql.batch([{ sql: name, params: [] }]));
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(order).toEqual(['a', 'fail', 'b', 'c']);
    expect(most).toBe(1);
  });
});
