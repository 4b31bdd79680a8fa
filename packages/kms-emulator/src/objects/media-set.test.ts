import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { kurentoRegistry } from './kmd';
import { MediaSet, SERVER_MANAGER_ID } from './media-set';

const registry = kurentoRegistry();
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function setup() {
  const delivered: Array<{ sessionId: string; value: JsonObject }> = [];
  const set = new MediaSet(registry, {
    deliver: (sessionId, value) => delivered.push({ sessionId, value }),
    now: () => 1_700_000_000_123,
  });
  const klass = (name: string) => {
    const found = registry.classes.get(name);
    if (!found) throw new Error(name);
    return found;
  };
  const destroyed = () =>
    delivered
      .filter((d) => d.value.type === 'ObjectDestroyed')
      .map((d) => (d.value.data as JsonObject).objectId);
  return { set, klass, delivered, destroyed };
}

describe('MediaSet object ids and hierarchy (§7)', () => {
  it('names roots <uuid>_kurento.<Type> and children <parentId>/<uuid>_kurento.<Type>', () => {
    const { set, klass } = setup();
    const pipeline = set.create(klass('MediaPipeline'), 's', undefined, {});
    const composite = set.create(klass('Composite'), 's', pipeline, {});
    const port = set.create(klass('HubPort'), 's', composite, {});
    expect(pipeline.id).toMatch(new RegExp(`^${UUID}_kurento\\.MediaPipeline$`));
    expect(composite.id).toMatch(new RegExp(`^${pipeline.id}/${UUID}_kurento\\.Composite$`));
    expect(port.id).toMatch(new RegExp(`^${composite.id}/${UUID}_kurento\\.HubPort$`));
    expect(port.pipeline).toBe(pipeline);
    expect(pipeline.creationTime).toBe(1_700_000_000);
    expect(set.pipelineIds()).toEqual([pipeline.id]);
    expect(set.objectCount).toBe(3);
  });
});

describe('MediaSet reference counting', () => {
  it('keeps an object while any session references it, and releases children before parents', () => {
    const { set, klass, destroyed } = setup();
    set.ref('watcher', set.serverManager);
    set.subscribe('watcher', set.serverManager, 'ObjectDestroyed');
    const pipeline = set.create(klass('MediaPipeline'), 'a', undefined, {});
    const element = set.create(klass('PassThrough'), 'a', pipeline, {});
    // Session b describes the element: it now references the element and its pipeline.
    set.lookupFor('b', element.id);
    expect(
      pipeline
        .sessionList()
        .map((s) => s.id)
        .sort(),
    ).toEqual(['a', 'b']);

    set.unrefSession('a');
    expect(set.lookup(element.id)).toBe(element);
    expect(destroyed()).toEqual([]);

    set.release(pipeline.id);
    expect(destroyed()).toEqual([element.id, pipeline.id]);
    expect(() => set.lookup(pipeline.id)).toThrow(`Object '${pipeline.id}' not found`);
    expect(set.objectCount).toBe(0);
  });

  it('creates children into every session of their parent', () => {
    const { set, klass } = setup();
    const pipeline = set.create(klass('MediaPipeline'), 'a', undefined, {});
    set.lookupFor('b', pipeline.id);
    const element = set.create(klass('WebRtcEndpoint'), 'a', pipeline, {});
    expect(
      element
        .sessionList()
        .map((s) => s.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('never releases the ServerManager and reports newref ids as uncommitted', () => {
    const { set } = setup();
    set.ref('a', set.serverManager);
    set.release(SERVER_MANAGER_ID);
    set.unrefSession('a');
    expect(set.lookup(SERVER_MANAGER_ID)).toBe(set.serverManager);
    expect(() => set.lookup('newref:0')).toThrow(/Possibly using a transactional object/);
  });

  it('closeSession with release frees shared objects too; without it only drops the references', () => {
    const { set, klass } = setup();
    const shared = set.create(klass('MediaPipeline'), 'a', undefined, {});
    set.lookupFor('b', shared.id);
    set.unrefSession('b');
    expect(set.lookup(shared.id)).toBe(shared);
    set.lookupFor('b', shared.id);
    set.releaseSession('b');
    expect(() => set.lookup(shared.id)).toThrow();
    expect(set.sessionIds()).toEqual(['a']);
  });
});

describe('MediaSet garbage collection (§2)', () => {
  it('drops a session on the second pass without a sign of life, and keeps linked or kept-alive ones', () => {
    const { set, klass, destroyed } = setup();
    set.ref('watcher', set.serverManager);
    set.subscribe('watcher', set.serverManager, 'ObjectDestroyed');
    const gone = set.create(klass('MediaPipeline'), 'gone', undefined, {});
    const kept = set.create(klass('MediaPipeline'), 'kept', undefined, {});
    set.create(klass('MediaPipeline'), 'linked', undefined, {});

    expect(set.collectGarbage(['linked', 'watcher'])).toEqual([]);
    set.keepAlive('kept');
    expect(set.collectGarbage(['linked', 'watcher'])).toEqual(['gone']);
    expect(destroyed()).toEqual([gone.id]);
    expect(set.lookup(kept.id)).toBe(kept);
    expect(() => set.keepAlive('gone')).toThrow('Invalid session');

    expect(set.collectGarbage(['linked', 'watcher'])).toEqual(['kept']);
    expect(set.sessionIds().sort()).toEqual(['linked', 'watcher']);
  });
});

describe('MediaSet events (§5)', () => {
  it('sends one onEvent per subscribed session, with the RaiseBase fields, until unsubscribed', () => {
    const { set, klass, delivered } = setup();
    set.ref('a', set.serverManager);
    const first = set.subscribe('a', set.serverManager, 'ObjectCreated');
    const second = set.subscribe('a', set.serverManager, 'ObjectCreated');
    const pipeline = set.create(klass('MediaPipeline'), 'x', undefined, {});
    expect(delivered).toEqual([
      {
        sessionId: 'a',
        value: {
          data: {
            object: pipeline.id,
            source: SERVER_MANAGER_ID,
            tags: [],
            timestampMillis: '1700000000123',
          },
          object: SERVER_MANAGER_ID,
          type: 'ObjectCreated',
        },
      },
    ]);
    set.unsubscribe('a', SERVER_MANAGER_ID, first);
    set.create(klass('MediaPipeline'), 'x', undefined, {});
    expect(delivered).toHaveLength(2);
    set.unsubscribe('a', SERVER_MANAGER_ID, second);
    set.create(klass('MediaPipeline'), 'x', undefined, {});
    expect(delivered).toHaveLength(2);
  });

  it('refuses an event the class does not declare with 40106', () => {
    const { set, klass } = setup();
    const pipeline = set.create(klass('MediaPipeline'), 'a', undefined, {});
    expect(() => set.subscribe('a', pipeline, 'IceCandidateFound')).toThrow(
      "Event 'IceCandidateFound' not supported",
    );
  });
});
