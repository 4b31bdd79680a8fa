import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pick, type SwrrNode } from './swrr';

// Ids encode the list position so the naive model and the deviation helpers can index by it.
const idOf = (index: number): string => `n${index}`;
const indexOf = (id: string): number => Number(id.slice(1));

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

function zeroFleet(weights: readonly number[]): SwrrNode[] {
  return weights.map((weight, i) => ({ id: idOf(i), weight, current: 0 }));
}

/** The list positions picked by `count` picks from all-zero state with every node eligible. */
function swrrSequence(weights: readonly number[], count: number): number[] {
  let state = zeroFleet(weights);
  const sequence: number[] = [];
  for (let k = 0; k < count; k++) {
    const result = pick(state);
    if (result === null) throw new Error('nothing eligible');
    state = result.nodes;
    sequence.push(indexOf(result.id));
  }
  return sequence;
}

/** The naive "expanded list" WRR the public OpenVidu patch used: node i repeated w_i times, cycled. */
function expandedListSequence(weights: readonly number[], count: number): number[] {
  const list = weights.flatMap((weight, i) => Array<number>(weight).fill(i));
  return Array.from({ length: count }, (_, k) => list[k % list.length]!);
}

/**
 * How far picks_i(n) strays from its fair share n·w_i/W over the sequence: `ahead` is the largest surplus,
 * `behind` the largest shortfall, over every prefix and node.
 */
function deviation(
  weights: readonly number[],
  sequence: readonly number[],
): { ahead: number; behind: number } {
  const total = sum(weights);
  const picks = weights.map(() => 0);
  let ahead = 0;
  let behind = 0;
  for (const [k, picked] of sequence.entries()) {
    picks[picked]!++;
    for (const [i, weight] of weights.entries()) {
      const gap = picks[i]! - ((k + 1) * weight) / total;
      ahead = Math.max(ahead, gap);
      behind = Math.max(behind, -gap);
    }
  }
  return { ahead, behind };
}

const maxDeviation = (weights: readonly number[], sequence: readonly number[]): number => {
  const { ahead, behind } = deviation(weights, sequence);
  return Math.max(ahead, behind);
};

interface NaiveNode {
  id: string;
  weight: number;
  current: number;
}

/**
 * The reference page's algorithm transcribed as literally as possible (mutating, two passes, max then
 * first-with-max), so that a mistake in pick()'s single-pass version shows up as a disagreement.
 */
function naivePick(state: NaiveNode[], isEligible: (node: NaiveNode) => boolean): string | null {
  const eligible = state.filter((node) => node.weight > 0 && isEligible(node));
  if (eligible.length === 0) return null;
  let total = 0;
  for (const node of eligible) {
    node.current += node.weight;
    total += node.weight;
  }
  const largest = Math.max(...eligible.map((node) => node.current));
  const best = eligible.find((node) => node.current === largest)!;
  best.current -= total;
  return best.id;
}

const weightsOf = (max: number, minLength: number, maxLength: number) =>
  fc.array(fc.integer({ min: 1, max }), { minLength, maxLength });

describe('SWRR invariants (fast-check)', () => {
  it('agrees with a naive transcription of the algorithm, eligibility changing at every pick', () => {
    const node = fc.record({
      weight: fc.integer({ min: -2, max: 12 }),
      current: fc.integer({ min: -60, max: 60 }),
    });
    // undefined: no predicate at all; a number: a bitmask of eligible list positions.
    const step = fc.option(fc.nat({ max: 255 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 8 }), fc.array(step, { maxLength: 60 }), (generated, steps) => {
        let state: SwrrNode[] = generated.map((n, i) => ({ id: idOf(i), ...n }));
        const model: NaiveNode[] = state.map((n) => ({ ...n }));
        for (const mask of steps) {
          const allowed = (n: { id: string }) => mask === undefined || ((mask >> indexOf(n.id)) & 1) === 1;
          const expected = naivePick(model, allowed);
          const result = pick(state, mask === undefined ? undefined : allowed);
          expect(result?.id ?? null).toBe(expected);
          if (result !== null) state = result.nodes;
          expect(state).toEqual(model);
        }
      }),
    );
  });

  it('period: every window of W picks holds node i exactly w_i times and ends in all-zero state', () => {
    fc.assert(
      fc.property(weightsOf(20, 1, 8), fc.integer({ min: 1, max: 3 }), (weights, windows) => {
        const total = sum(weights);
        let state = zeroFleet(weights);
        for (let window = 0; window < windows; window++) {
          const counts = weights.map(() => 0);
          for (let k = 0; k < total; k++) {
            const result = pick(state)!;
            state = result.nodes;
            counts[indexOf(result.id)]!++;
          }
          expect(counts).toEqual(weights);
          expect(state.every((n) => n.current === 0)).toBe(true);
        }
      }),
    );
  });

  it('conservation and bounds: Σ current = 0, −W < current_i <= (n−1)·W, current_i = k·w_i − picks_i·W', () => {
    const weights = fc
      .array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 10 })
      .filter((ws) => sum(ws) > 0);
    fc.assert(
      fc.property(weights, fc.integer({ min: 1, max: 300 }), (ws, count) => {
        const total = sum(ws);
        let state = zeroFleet(ws);
        const picks = ws.map(() => 0);
        // Extremes are gathered and asserted once: an expect() per node and pick made this test slow.
        let lowest = 0;
        let highest = 0;
        for (let k = 1; k <= count; k++) {
          const result = pick(state)!;
          state = result.nodes;
          picks[indexOf(result.id)]!++;
          const currents = state.map((n) => n.current);
          expect(sum(currents)).toBe(0);
          // Why the bounds on current are the smoothness bounds: the gap to the fair share is −current/W.
          expect(currents).toEqual(ws.map((w, i) => k * w - picks[i]! * total));
          lowest = Math.min(lowest, ...currents);
          highest = Math.max(highest, ...currents);
        }
        expect(lowest).toBeGreaterThan(-total);
        expect(highest).toBeLessThanOrEqual((ws.length - 1) * total);
      }),
    );
  });

  it('ineligible nodes keep their current, and the others run as if alone in the list', () => {
    const node = fc.record({
      weight: fc.integer({ min: 1, max: 20 }),
      current: fc.integer({ min: -500, max: 500 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ node, excluded: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 100 }),
        (generated, count) => {
          const all: SwrrNode[] = generated.map(({ node: n }, i) => ({ id: idOf(i), ...n }));
          const excluded = new Set(all.filter((_, i) => generated[i]!.excluded).map((n) => n.id));
          const isEligible = (n: SwrrNode) => !excluded.has(n.id);
          let withExcluded = all;
          let alone = all.filter(isEligible);
          for (let k = 0; k < count; k++) {
            const mixed = pick(withExcluded, isEligible);
            const reference = pick(alone);
            expect(mixed?.id).toBe(reference?.id);
            if (mixed === null || reference === null) return;
            withExcluded = mixed.nodes;
            alone = reference.nodes;
          }
          for (const [i, n] of withExcluded.entries()) {
            if (excluded.has(n.id)) expect(n).toBe(all[i]);
          }
          expect(withExcluded.filter(isEligible)).toEqual(alone);
        },
      ),
    );
  });

  it('smoothness, up to three nodes: every node within one pick of its share, ahead or behind', () => {
    fc.assert(
      fc.property(weightsOf(100, 1, 3), (weights) => {
        // One period suffices: the state is all zeros again after W picks, so the sequence repeats.
        const { ahead, behind } = deviation(weights, swrrSequence(weights, sum(weights)));
        expect(ahead).toBeLessThan(1);
        expect(behind).toBeLessThan(1);
      }),
    );
  });

  it('smoothness, any fleet: a node is never ahead of its share by a whole pick', () => {
    fc.assert(
      fc.property(weightsOf(100, 1, 16), (weights) => {
        expect(deviation(weights, swrrSequence(weights, sum(weights))).ahead).toBeLessThan(1);
      }),
    );
  });

  it('smoothness, many nodes (5..128, weights 1..100): never behind by two picks', () => {
    fc.assert(
      fc.property(weightsOf(100, 5, 128), (weights) => {
        const { ahead, behind } = deviation(weights, swrrSequence(weights, Math.min(sum(weights), 10_000)));
        expect(ahead).toBeLessThan(1);
        expect(behind).toBeLessThan(2);
      }),
      { numRuns: 20 },
    );
  });
});

describe('measured smoothness, and why not the expanded list', () => {
  const expectNear = (actual: number, quoted: number) =>
    expect(Math.abs(actual - quoted)).toBeLessThanOrEqual(0.01);

  it.each([
    { weights: [5, 1, 1], swrr: 0.57, expanded: 1.43 },
    { weights: [10, 5, 1], swrr: 0.63, expanded: 3.75 },
    { weights: [100, 1], swrr: 0.5, expanded: 0.99 },
  ])('$weights: SWRR strays $swrr picks, the expanded list $expanded', ({ weights, swrr, expanded }) => {
    const total = sum(weights);
    const smooth = maxDeviation(weights, swrrSequence(weights, total));
    const naive = maxDeviation(weights, expandedListSequence(weights, total));
    expectNear(smooth, swrr);
    expectNear(naive, expanded);
    // The reference's closed form for the expanded list: the heaviest node's whole burst, w·(1 − w/W).
    expectNear(naive, Math.max(...weights.map((w) => w * (1 - w / total))));
    expect(smooth).toBeLessThan(naive);
  });

  it('the below-one bound stops at three nodes: 1,4,95,95 falls behind by more than a pick', () => {
    // Found by search; documents why the "< 1" property above is limited to three nodes.
    const weights = [1, 4, 95, 95];
    const { ahead, behind } = deviation(weights, swrrSequence(weights, sum(weights)));
    expect(ahead).toBeLessThan(1);
    expect(behind).toBeGreaterThan(1);
    expect(behind).toBeLessThan(2);
  });
});
