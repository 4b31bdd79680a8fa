import { describe, expect, it } from 'vitest';
import { formatTable, type HealthEvent, inRotationAt, largestGap, type Pick, tally } from './report';

const weights = { a: 5, b: 1, c: 1 };
const pick = (nodeId: string, at: number, kind: Pick['kind'] = 'new'): Pick => ({
  pipelineId: `p${at}`,
  nodeId,
  at,
  kind,
});
const event = (
  nodeId: string,
  at: number,
  type: HealthEvent['type'],
  until?: number | null,
): HealthEvent => ({
  nodeId,
  at,
  type,
  reason: null,
  ...(type === 'ejected' ? { until: until ?? null, why: '' } : {}),
});

describe('inRotationAt', () => {
  it('starts with every node in rotation and follows down and up events in order, ignoring restarts', () => {
    const events = [event('a', 10, 'down'), event('a', 20, 'restarted'), event('a', 20, 'up')];
    expect([...inRotationAt(['a', 'b'], events, 5)]).toEqual(['a', 'b']);
    expect([...inRotationAt(['a', 'b'], events, 10)]).toEqual(['b']);
    expect([...inRotationAt(['a', 'b'], events, 19)]).toEqual(['b']);
    expect([...inRotationAt(['a', 'b'], events, 20)].sort()).toEqual(['a', 'b']);
  });

  it('keeps an ejected node out until its ejection ends, even once it is up again', () => {
    const events = [event('a', 10, 'ejected', 50), event('a', 12, 'down'), event('a', 30, 'up')];
    expect([...inRotationAt(['a', 'b'], events, 11)]).toEqual(['b']);
    expect([...inRotationAt(['a', 'b'], events, 40)]).toEqual(['b']);
    expect([...inRotationAt(['a', 'b'], events, 50)].sort()).toEqual(['a', 'b']);
  });

  it('does not count a refused ejection (until null)', () => {
    expect([...inRotationAt(['a', 'b'], [event('a', 10, 'ejected', null)], 20)].sort()).toEqual(['a', 'b']);
  });
});

describe('tally', () => {
  it('expects each pipeline to split by the weights of the nodes in rotation when it was placed', () => {
    // 7 pipelines with a, b, c in rotation (5:1:1), then 6 with a out (b:c = 1:1), 2 of them rooms opened again.
    const picks = [
      ...'aabacaa'.split('').map((id, i) => pick(id, i)),
      ...'bcbcbc'.split('').map((id, i) => pick(id, 100 + i, i < 2 ? 'recreated' : 'new')),
    ];
    const events = [event('a', 50, 'ejected', 60), event('a', 51, 'down'), event('a', 150, 'up')];
    const rows = tally(weights, picks, events, { from: 0, to: 200 });
    expect(rows.map(({ id, placed, recreated }) => ({ id, placed, recreated }))).toEqual([
      { id: 'a', placed: 5, recreated: 0 },
      { id: 'b', placed: 4, recreated: 1 },
      { id: 'c', placed: 4, recreated: 1 },
    ]);
    expect(rows.map((row) => row.expected)).toEqual([5, 1 + 3, 1 + 3]);
    expect(rows.map((row) => row.inRotation)).toEqual([0.5, 1, 1]);
    expect(largestGap(rows)).toBe(0);
  });

  it('counts a node out of rotation until the later of its ejection and its health say so', () => {
    const rows = tally(
      weights,
      [],
      [event('c', 100, 'ejected', 300), event('c', 120, 'down'), event('c', 200, 'up')],
      {
        from: 0,
        to: 400,
      },
    );
    expect(rows.find((row) => row.id === 'c')?.inRotation).toBe(0.5);
  });

  it('counts a node still down at the end as down until the end', () => {
    const rows = tally(weights, [], [event('c', 100, 'down')], { from: 0, to: 400 });
    expect(rows.find((row) => row.id === 'c')?.inRotation).toBe(0.25);
  });
});

describe('formatTable', () => {
  it('aligns the columns under their headings', () => {
    const rows = tally(weights, [pick('a', 1), pick('a', 2), pick('b', 3, 'recreated')], [], {
      from: 0,
      to: 10,
    });
    expect(formatTable(rows, { a: 2, b: 1 })).toEqual([
      'node   weight   in rotation   expected   placed   actual   re-created   holds now',
      'a           5          100%      71.4%        2    66.7%            0           2',
      'b           1          100%      14.3%        1    33.3%            1           1',
      'c           1          100%      14.3%        0     0.0%            0           0',
    ]);
  });
});
