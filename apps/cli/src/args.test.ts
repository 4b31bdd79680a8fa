import { describe, expect, it } from 'vitest';
import { expectPositionals, intArg, pairsArg, parseCommandArgs, UsageError } from './args';

describe('parseCommandArgs', () => {
  it('takes the global flags wherever they are, and refuses an unknown one in a short sentence', () => {
    const { values, positionals } = parseCommandArgs(['a', '--json', '--weight', '5'], {
      weight: { type: 'string' },
    });
    expect(values).toEqual({ json: true, weight: '5' });
    expect(positionals).toEqual(['a']);
    expect(() => parseCommandArgs(['--wieght', '5'], { weight: { type: 'string' } })).toThrow(
      new UsageError("Unknown option '--wieght'"),
    );
  });
});

describe('argument helpers', () => {
  it('checks integers and their bounds', () => {
    expect(intArg('weight', '5', 0, 10)).toBe(5);
    for (const bad of ['11', '-1', '1.5', 'five', '']) {
      expect(() => intArg('weight', bad, 0, 10)).toThrow(
        `--weight must be an integer from 0 to 10, not '${bad}'`,
      );
    }
  });

  it('reads key=value pairs, the value may hold =', () => {
    expect(pairsArg('--label', ['zone=a', 'expr=x=y', 'empty='])).toEqual({
      zone: 'a',
      expr: 'x=y',
      empty: '',
    });
    expect(() => pairsArg('--label', ['zone'])).toThrow("--label takes key=value, not 'zone'");
  });

  it('counts positionals', () => {
    expect(expectPositionals(['a'], ['ID'])).toEqual(['a']);
    expect(() => expectPositionals([], ['ID'])).toThrow('missing ID');
    expect(() => expectPositionals(['a', 'b'], ['ID'])).toThrow("unexpected argument 'b'");
    expect(expectPositionals(['a', 'b'], ['ID=W'], true)).toEqual(['a', 'b']);
  });
});
