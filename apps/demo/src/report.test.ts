import { describe, expect, it } from 'vitest';
import { formatTable, type HealthEvent, largestGap, type Pick, tally, upAt } from './report';

const weights = { a: 5, b: 1, c: 1 };
const newPick = (nodeId: string, at: number): Pick => ({ sessionId: `s${at}`, nodeId, at, kind: 'new' });
const event = (nodeId: string, at: number, type: HealthEvent['type']): HealthEvent => ({
  nodeId,
  at,
  type,
  reason: null,
});

describe('upAt', () => {
  it('starts with every node up and follows down and up events in order, ignoring restarts', () => {
    const events = [event('a', 10, 'down'), event('a', 20, 'restarted'), event('a', 20, 'up')];
    expect([...upAt(['a', 'b'], events, 5)]).toEqual(['a', 'b']);
    expect([...upAt(['a', 'b'], events, 10)]).toEqual(['b']);
    expect([...upAt(['a', 'b'], events, 19)]).toEqual(['b']);
    expect([...upAt(['a', 'b'], events, 20)].sort()).toEqual(['a', 'b']);
  });
});

describe('tally', () => {
  it('expects each new session to split by the weights of the nodes up when it was placed', () => {
    // 7 sessions with a, b, c up (5:1:1), then 6 with a down (b:c = 1:1).
    const picks = [
      ...'aabacaa'.split('').map((id, i) => newPick(id, i)),
      ...'bcbcbc'.split('').map((id, i) => newPick(id, 100 + i)),
      { sessionId: 's0', nodeId: 'b', at: 101, kind: 'moved' as const },
    ];
    const rows = tally(weights, picks, [event('a', 50, 'down'), event('a', 150, 'up')], { from: 0, to: 200 });
    expect(rows.map(({ id, placed, movedIn }) => ({ id, placed, movedIn }))).toEqual([
      { id: 'a', placed: 5, movedIn: 0 },
      { id: 'b', placed: 4, movedIn: 1 },
      { id: 'c', placed: 4, movedIn: 0 },
    ]);
    expect(rows.map((row) => row.expected)).toEqual([5, 1 + 3, 1 + 3]);
    expect(rows.map((row) => row.upShare)).toEqual([0.5, 1, 1]);
    expect(largestGap(rows)).toBe(0);
  });

  it('counts a node still down at the end as down until the end', () => {
    const rows = tally(weights, [], [event('c', 100, 'down')], { from: 0, to: 400 });
    expect(rows.find((row) => row.id === 'c')?.upShare).toBe(0.25);
  });
});

describe('formatTable', () => {
  it('aligns the columns under their headings', () => {
    const rows = tally(weights, [newPick('a', 1), newPick('a', 2), newPick('b', 3)], [], { from: 0, to: 10 });
    expect(formatTable(rows, { a: 2, b: 1 })).toEqual([
      'node   weight     up   expected   placed   actual   moved in   holds now',
      'a           5   100%      71.4%        2    66.7%          0           2',
      'b           1   100%      14.3%        1    33.3%          0           1',
      'c           1   100%      14.3%        0     0.0%          0           0',
    ]);
  });
});
