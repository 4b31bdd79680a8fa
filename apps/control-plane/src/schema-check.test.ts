import type { FleetDb } from '@kurento-fleet/db';
import { applyMigrations } from '@kurento-fleet/db/migrations';
import { betterSqliteClient, readMigrations } from '@kurento-fleet/db/node';
import { silentLogger } from '@kurento-fleet/log';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app';

/**
 * Readiness and /healthz against a database without its schema, on Node (start:edge, where this happens for
 * real, is tested as a process in test/edge-readiness.test.ts).
 */
const adminToken = 'schema-check-admin-token-0123456789';
const opened: Database.Database[] = [];
afterEach(() => {
  for (const raw of opened.splice(0)) raw.close();
});

function appOn(raw: Database.Database) {
  opened.push(raw);
  const db: FleetDb = { client: betterSqliteClient(raw), now: Date.now, heartbeatTimeoutMs: 6000 };
  const app = createApp({ db, adminToken, heartbeatIntervalMs: 2000, log: silentLogger });
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { db, call };
}

describe('a database without its schema', () => {
  it('answers 503 UNAVAILABLE everywhere (never a 500) until the migrations are applied, then serves', async () => {
    const { db, call } = appOn(new Database(':memory:'));
    for (const [method, path, body] of [
      ['GET', '/healthz'],
      ['POST', '/v1/nodes', { id: 'a', uri: 'ws://a:8888/kurento' }],
      ['GET', '/v1/sessions'],
    ] as const) {
      const response = await call(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(503);
      // The readiness gate says when to come back; /healthz reports the state as it is.
      if (path !== '/healthz') expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    }
    await applyMigrations(db.client, readMigrations());
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('POST', '/v1/nodes', { id: 'a', uri: 'ws://a:8888/kurento' })).status).toBe(201);
  });

  it('is seen by /healthz on every call: a table or a column gone is a 503, not a 200', async () => {
    const raw = new Database(':memory:');
    const { db, call } = appOn(raw);
    await applyMigrations(db.client, readMigrations());
    expect((await call('GET', '/healthz')).status).toBe(200);
    raw.exec('ALTER TABLE placements DROP COLUMN outcome');
    const response = await call('GET', '/healthz');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('migrations');
    raw.exec('DROP TABLE placements');
    expect((await call('GET', '/healthz')).status).toBe(503);
  });
});
