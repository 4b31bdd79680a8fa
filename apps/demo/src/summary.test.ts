import { describe, expect, it } from 'vitest';
import { sumBy } from './summary';

const text = `# HELP fleet_gateway_placements_total New pipelines placed
# TYPE fleet_gateway_placements_total counter
fleet_gateway_placements_total{node="a",outcome="placed"} 188
fleet_gateway_placements_total{node="a",outcome="unreachable"} 2
fleet_gateway_placements_total{node="b",outcome="placed"} 108
fleet_gateway_placements_total_created{node="b"} 1
fleet_gateway_clients 1
`;

describe('sumBy', () => {
  it('sums the samples of one metric by the labels asked for, and no other metric', () => {
    expect(sumBy(text, 'fleet_gateway_placements_total', ['node', 'outcome'])).toEqual({
      'a placed': 188,
      'a unreachable': 2,
      'b placed': 108,
    });
    expect(sumBy(text, 'fleet_gateway_placements_total', ['outcome'])).toEqual({
      placed: 296,
      unreachable: 2,
    });
  });

  it('reads a metric without labels under the empty key', () => {
    expect(sumBy(text, 'fleet_gateway_clients', [])).toEqual({ '': 1 });
  });
});
