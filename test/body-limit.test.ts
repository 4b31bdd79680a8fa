import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane, testAdminToken } from './support/control-plane';
import { type RawAnswer, rawClient } from './support/http-client';
import { tempDir } from './support/temp-dir';

/**
 * A 413 on a keep-alive connection, against the real Node process: the next request must still get its answer,
 * on the same connection when the server read the body away, on a new one when it said `Connection: close`.
 */
const MiB = 1024 * 1024;
const dir = tempDir();
let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane({ FLEET_DB_PATH: `${dir.path}/fleet.db` });
});
afterAll(async () => {
  await cp?.kill();
  dir.remove();
});

const auth = { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' };
/** A JSON body of `size` bytes: a label map far over the limit. */
const oversized = (size: number) => {
  const head = '{"uri":"ws://h:8888/kurento","region":"';
  return Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`);
};
const chunks = (body: Buffer, count: number) =>
  Array.from({ length: count }, (_, i) =>
    body.subarray((i * body.length) / count, ((i + 1) * body.length) / count),
  );

function expectTooLarge(answer: RawAnswer) {
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.text).error.code).toBe('PAYLOAD_TOO_LARGE');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['x-frame-options']).toBe('DENY');
  expect(answer.headers['cache-control']).toBe('no-store');
}

describe('a 413 on a keep-alive connection (Node process)', () => {
  it.each([
    ['declared with Content-Length', oversized(1.5 * MiB)],
    ['chunked', chunks(oversized(1.5 * MiB), 6)],
  ])(
    'a body a little over the limit (%s) is read away: the next request works on the same socket',
    async (_, body) => {
      const client = rawClient(cp.url);
      try {
        const refused = await client.send({ method: 'POST', path: '/v1/nodes', headers: auth, body });
        expectTooLarge(refused);
        expect(refused.headers.connection).toBe('keep-alive');
        const next = await client.send({ path: '/v1/nodes', headers: auth });
        expect(next.status).toBe(200);
        expect(next.localPort).toBe(refused.localPort);
        expect(JSON.parse(next.text).nodes).toEqual([]);
      } finally {
        client.close();
      }
    },
  );

  it('a GET with a body over the limit gets its 413 too (every route documents it)', async () => {
    const client = rawClient(cp.url);
    try {
      const refused = await client.send({ path: '/v1/nodes', headers: auth, body: oversized(1.5 * MiB) });
      expectTooLarge(refused);
      const next = await client.send({ path: '/healthz' });
      expect(next.status).toBe(200);
      expect(next.localPort).toBe(refused.localPort);
    } finally {
      client.close();
    }
  });

  it.each([
    ['declared with Content-Length', oversized(20 * MiB)],
    ['chunked', chunks(oversized(20 * MiB), 40)],
  ])(
    'a body far over the limit (%s) is not read: the 413 says Connection: close, the next request works',
    async (_, body) => {
      const client = rawClient(cp.url);
      try {
        const refused = await client.send({ method: 'POST', path: '/v1/nodes', headers: auth, body });
        expectTooLarge(refused);
        expect(refused.headers.connection).toBe('close');
        const next = await client.send({ path: '/v1/nodes', headers: auth });
        expect(next.status).toBe(200);
        expect(JSON.parse(next.text).nodes).toEqual([]);
      } finally {
        client.close();
      }
    },
  );
});
