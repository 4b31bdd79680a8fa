import { FleetClient, type FleetEvent } from '@kurento-fleet/client';
import { readEventStream } from '@kurento-fleet/client/sse';
import type { Assignment, EventPage } from '@kurento-fleet/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane, testAdminToken } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { freePort, waitUntil } from './support/processes';
import { tempDir } from './support/temp-dir';

/**
 * GET /v1/events/stream from the real control plane process on both runtimes, read over real TCP with fetch
 * (what the dashboard and the SDK do, since EventSource cannot send a token): each event arrives as soon as it
 * is written, and a client that reconnects with its Last-Event-ID, after dropping the connection or across a
 * restart of the control plane, misses nothing and gets nothing twice.
 */

const running: ControlPlane[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  for (const cp of running.splice(0)) await cp.kill();
  for (const dir of dirs.splice(0)) dir.remove();
});

const outbox = async (cp: ControlPlane) =>
  (await cp.request<EventPage>('GET', '/v1/events?after=0&limit=1000')).body.events.map(
    (e: { id: string }) => e.id,
  );

describe.each(['node', 'edge'] as Runtime[])('the event stream on the %s runtime', (runtime) => {
  const start = async (path: string, port: number) => {
    const cp = await startControlPlane(
      {
        PORT: String(port),
        FLEET_DB_PATH: `${path}/fleet.db`,
        FLEET_EDGE_STATE_DIR: path,
        FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
      },
      runtime,
    );
    running.push(cp);
    return cp;
  };
  const setup = async () => {
    const dir = tempDir('fleet-stream-');
    dirs.push(dir);
    const port = await freePort();
    return { path: dir.path, port, cp: await start(dir.path, port) };
  };

  /** Opens the stream with fetch; `frames` fills as events arrive, each with when it arrived. */
  const open = async (cp: ControlPlane, headers: Record<string, string> = {}) => {
    const abort = new AbortController();
    aborts.push(abort);
    const response = await fetch(`${cp.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${testAdminToken}`, ...headers },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    const frames: { id: string; at: number }[] = [];
    const reading = (async () => {
      for await (const message of readEventStream(response.body!).messages)
        frames.push({ id: message.lastEventId, at: performance.now() });
    })().catch(() => {});
    return { frames, abort, reading };
  };

  it('sends each event the moment it is written: nothing is held in a buffer', async () => {
    const { cp } = await setup();
    await addUpNodes(cp, { a: 1 });
    const stream = await open(cp);
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const written = performance.now();
      const { status } = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: `live-${i}` });
      expect(status).toBe(201);
      await waitUntil(async () => stream.frames.length > i, 10_000, `event ${i}`);
      delays.push(stream.frames[i]!.at - written);
    }
    delays.sort((a, b) => a - b);
    // Written → arrived, the answer's own round trip included; a buffered stream would hold them all.
    expect(delays[5], `delays ${delays.map((d) => d.toFixed(0))}`).toBeLessThan(
      runtime === 'node' ? 200 : 1500,
    );
  }, 60_000);

  it('resumes after a dropped connection from its Last-Event-ID, without a gap or a repeat', async () => {
    const { cp } = await setup();
    await addUpNodes(cp, { a: 1, b: 1 });
    const first = await open(cp);
    await placeInOrder(cp, ['x1', 'x2', 'x3']);
    await waitUntil(async () => first.frames.length >= 3, 10_000, 'three events');
    first.abort.abort();
    await first.reading;
    await placeInOrder(cp, ['y1', 'y2', 'y3', 'y4']); // while disconnected
    const last = first.frames.at(-1)!.id;
    const second = await open(cp, { 'last-event-id': last });
    await placeInOrder(cp, ['z1']);
    const all = await outbox(cp);
    const wanted = all.slice(all.indexOf(last) + 1);
    await waitUntil(async () => second.frames.length >= wanted.length, 10_000, 'the missed events');
    expect(second.frames.map((f) => f.id)).toEqual(wanted);
    expect([...first.frames, ...second.frames].map((f) => f.id)).toEqual(
      all.slice(all.indexOf(first.frames[0]!.id)),
    );
  }, 60_000);

  it('the SDK’s streamEvents follows the fleet across a restart of the control plane, missing nothing', async () => {
    const { cp, path, port } = await setup();
    const fleet = new FleetClient({
      url: cp.url,
      token: testAdminToken,
      retry: { initialDelayMs: 50, maxDelayMs: 300 },
    });
    const abort = new AbortController();
    aborts.push(abort);
    const got: FleetEvent[] = [];
    const following = (async () => {
      for await (const event of fleet.streamEvents({ after: 0, signal: abort.signal })) got.push(event);
    })();
    await addUpNodes(cp, { a: 1 });
    await placeInOrder(cp, ['before-1', 'before-2']);
    await waitUntil(async () => got.length >= 3, 10_000, 'the events before the restart');
    expect(await cp.stop()).toBe(0);
    running.splice(running.indexOf(cp), 1);
    const restarted = await start(path, port);
    await placeInOrder(restarted, ['after-1', 'after-2']);
    const all = await outbox(restarted);
    await waitUntil(async () => got.length >= all.length, 30_000, 'the events after the restart');
    expect(got.map((e) => e.id)).toEqual(all);
    expect(got.at(-1)).toMatchObject({ type: 'session.placed', sessionId: 'after-2' });
    abort.abort();
    await following;
  }, 120_000);
});
