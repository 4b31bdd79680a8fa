import { describe, expect, it } from 'vitest';
import { pick, type SwrrNode, SwrrScheduler } from './swrr';

function fleet(weights: Record<string, number>): SwrrNode[] {
  return Object.entries(weights).map(([id, weight]) => ({ id, weight, current: 0 }));
}

/** Runs `count` picks from `nodes` and returns the ids joined, e.g. 'aabacaa'. */
function run(nodes: readonly SwrrNode[], count: number, isEligible?: (node: SwrrNode) => boolean): string {
  let state = nodes;
  let ids = '';
  for (let i = 0; i < count; i++) {
    const result = pick(state, isEligible);
    if (result === null) throw new Error('nothing eligible');
    state = result.nodes;
    ids += result.id;
  }
  return ids;
}

describe('pick: the worked examples of the reference (nginx 1.22 sequences)', () => {
  it.each<{ weights: Record<string, number>; period: string }>([
    { weights: { a: 5, b: 1, c: 1 }, period: 'aabacaa' },
    { weights: { a: 1, b: 1, c: 1, d: 2 }, period: 'dabcd' },
    { weights: { a: 3, b: 2, c: 10 }, period: 'caccbccaccbccac' },
  ])('$weights gives $period, repeating', ({ weights, period }) => {
    expect(period).toHaveLength(Object.values(weights).reduce((sum, w) => sum + w, 0));
    expect(run(fleet(weights), 3 * period.length)).toBe(period.repeat(3));
  });

  it('returns every current to 0 after one period', () => {
    let state = fleet({ a: 5, b: 1, c: 1 });
    for (let i = 0; i < 7; i++) state = pick(state)!.nodes;
    expect(state.map((node) => node.current)).toEqual([0, 0, 0]);
  });
});

describe('pick: ties', () => {
  it('goes to the node added first, not the smallest id', () => {
    expect(run(fleet({ z: 1, m: 1, a: 1 }), 6)).toBe('zmazma');
  });

  it('goes to the earlier node when currents tie mid-sequence', () => {
    // b and c both reach current + weight = 2; b is earlier in the list.
    const nodes: SwrrNode[] = [
      { id: 'a', weight: 1, current: -3 },
      { id: 'b', weight: 1, current: 1 },
      { id: 'c', weight: 1, current: 1 },
    ];
    expect(pick(nodes)?.id).toBe('b');
  });
});

describe('pick: eligibility', () => {
  it('skips nodes excluded by the predicate and leaves their current untouched', () => {
    const nodes: SwrrNode[] = [
      { id: 'a', weight: 5, current: 7 },
      { id: 'b', weight: 1, current: 0 },
      { id: 'c', weight: 1, current: 0 },
    ];
    const result = pick(nodes, (node) => node.id !== 'a');
    expect(result?.id).toBe('b');
    // Only b and c are eligible, so the total subtracted is 2, not 7.
    expect(result?.nodes).toEqual([
      { id: 'a', weight: 5, current: 7 },
      { id: 'b', weight: 1, current: -1 },
      { id: 'c', weight: 1, current: 1 },
    ]);
    expect(result?.nodes[0]).toBe(nodes[0]);
  });

  it('lets a returning node resume from its kept current', () => {
    let state = fleet({ a: 5, b: 1, c: 1 });
    let ids = '';
    for (let i = 0; i < 3; i++) {
      const result = pick(state)!;
      state = result.nodes;
      ids += result.id;
    }
    const aDown = pick(state, (node) => node.id !== 'a')!;
    const after = run(aDown.nodes, 4);
    expect(ids + aDown.id + after).toBe('aab' + 'c' + 'aaca');
    expect(aDown.nodes.find((node) => node.id === 'a')?.current).toBe(
      state.find((node) => node.id === 'a')?.current,
    );
  });

  it('never picks a node of weight 0 or less, nor changes its current', () => {
    const nodes: SwrrNode[] = [
      { id: 'zero', weight: 0, current: 3 },
      { id: 'negative', weight: -2, current: -1 },
      { id: 'one', weight: 1, current: 0 },
    ];
    let state = nodes;
    for (let i = 0; i < 5; i++) {
      const result = pick(state)!;
      expect(result.id).toBe('one');
      state = result.nodes;
    }
    expect(state.slice(0, 2)).toEqual(nodes.slice(0, 2));
  });

  it('calls the predicate only for nodes with a positive weight, once each', () => {
    const seen: string[] = [];
    pick(fleet({ a: 1, b: 0, c: 2 }), (node) => {
      seen.push(node.id);
      return true;
    });
    expect(seen).toEqual(['a', 'c']);
  });

  it.each([
    { name: 'an empty list', nodes: [], isEligible: undefined },
    { name: 'only weight-0 nodes', nodes: fleet({ a: 0, b: 0 }), isEligible: undefined },
    { name: 'every node excluded', nodes: fleet({ a: 1, b: 2 }), isEligible: () => false },
  ])('returns null for $name', ({ nodes, isEligible }) => {
    expect(pick(nodes, isEligible)).toBeNull();
  });
});

describe('pick: purity', () => {
  it('does not mutate its input and keeps extra fields', () => {
    const nodes = [
      { id: 'a', weight: 2, current: 0, url: 'ws://a' },
      { id: 'b', weight: 1, current: 0, url: 'ws://b' },
    ];
    const copy = structuredClone(nodes);
    const result = pick(nodes)!;
    expect(nodes).toEqual(copy);
    expect(result.nodes).toEqual([
      { id: 'a', weight: 2, current: -1, url: 'ws://a' },
      { id: 'b', weight: 1, current: 1, url: 'ws://b' },
    ]);
    // The generic type keeps the caller's row type.
    const url: string = result.nodes[0]!.url;
    expect(url).toBe('ws://a');
  });
});

describe('SwrrScheduler', () => {
  function picks(scheduler: SwrrScheduler, count: number): string {
    let ids = '';
    for (let i = 0; i < count; i++) ids += scheduler.pick() ?? '-';
    return ids;
  }

  it('produces the reference sequence', () => {
    const scheduler = new SwrrScheduler();
    scheduler.add('a', 5);
    scheduler.add('b', 1);
    scheduler.add('c', 1);
    expect(picks(scheduler, 14)).toBe('aabacaa'.repeat(2));
  });

  it('continues a persisted sequence after a restart', () => {
    const first = new SwrrScheduler(fleet({ a: 3, b: 2, c: 10 }));
    const before = picks(first, 6);
    const restarted = new SwrrScheduler(first.nodes);
    expect(before + picks(restarted, 9)).toBe('caccbccaccbccac');
  });

  it('resets every current on add, remove and setWeight', () => {
    const scheduler = new SwrrScheduler(fleet({ a: 5, b: 1, c: 1 }));
    const allZero = () => scheduler.nodes.every((node) => node.current === 0);

    picks(scheduler, 2);
    expect(allZero()).toBe(false);
    scheduler.add('d', 2);
    expect(allZero()).toBe(true);

    picks(scheduler, 2);
    expect(scheduler.remove('d')).toBe(true);
    expect(allZero()).toBe(true);

    picks(scheduler, 2);
    scheduler.setWeight('a', 5);
    expect(allZero()).toBe(true);
    expect(picks(scheduler, 7)).toBe('aabacaa');

    scheduler.setWeight('a', 1);
    expect(picks(scheduler, 3)).toBe('abc');
  });

  it('leaves state alone when removing an unknown node', () => {
    const scheduler = new SwrrScheduler(fleet({ a: 2, b: 1 }));
    scheduler.pick();
    const before = scheduler.nodes;
    expect(scheduler.remove('nope')).toBe(false);
    expect(scheduler.nodes).toEqual(before);
  });

  it('puts a new node last for ties', () => {
    const scheduler = new SwrrScheduler();
    scheduler.add('z', 1);
    scheduler.add('a', 1);
    expect(picks(scheduler, 4)).toBe('zaza');
  });

  it('returns null and keeps state when nothing is eligible', () => {
    const scheduler = new SwrrScheduler(fleet({ a: 2, b: 1 }));
    scheduler.pick();
    const before = scheduler.nodes;
    expect(scheduler.pick(() => false)).toBeNull();
    expect(scheduler.nodes).toEqual(before);
    expect(new SwrrScheduler().pick()).toBeNull();
  });

  it('does not expose its state for mutation', () => {
    const scheduler = new SwrrScheduler(fleet({ a: 1 }));
    (scheduler.nodes as SwrrNode[]).pop();
    expect(scheduler.nodes).toHaveLength(1);
  });

  it.each([
    ['a fractional weight', 1.5],
    ['a negative weight', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects %s', (_name, weight) => {
    const scheduler = new SwrrScheduler(fleet({ a: 1 }));
    expect(() => scheduler.add('b', weight)).toThrow(RangeError);
    expect(() => scheduler.setWeight('a', weight)).toThrow(RangeError);
    expect(() => new SwrrScheduler([{ id: 'b', weight, current: 0 }])).toThrow(RangeError);
  });

  it('rejects duplicate and unknown ids', () => {
    const scheduler = new SwrrScheduler(fleet({ a: 1 }));
    expect(() => scheduler.add('a', 2)).toThrow(/duplicate/);
    expect(() => scheduler.setWeight('b', 2)).toThrow(/unknown/);
    expect(() => new SwrrScheduler([...fleet({ a: 1 }), ...fleet({ a: 2 })])).toThrow(/duplicate/);
  });

  it('accepts weight 0 as a disabled node', () => {
    const scheduler = new SwrrScheduler();
    scheduler.add('a', 0);
    scheduler.add('b', 1);
    expect(picks(scheduler, 3)).toBe('bbb');
  });
});
