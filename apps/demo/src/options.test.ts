import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions } from './options';

describe('parseOptions', () => {
  it('has defaults for a demo of a few seconds', () => {
    expect(parseOptions([], {})).toEqual({ help: false, sessions: 300, rate: 60, keep: false });
  });

  it('reads the environment, and flags over it (with the -- that pnpm passes through)', () => {
    expect(parseOptions([], { DEMO_SESSIONS: '60', DEMO_RATE: '100', DEMO_KEEP: 'true' })).toEqual({
      help: false,
      sessions: 60,
      rate: 100,
      keep: true,
    });
    expect(parseOptions(['--', '--sessions', '1000', '--keep'], { DEMO_SESSIONS: '60' })).toMatchObject({
      sessions: 1000,
      keep: true,
    });
    expect(parseOptions(['-h'], {}).help).toBe(true);
  });

  it.each([
    [['--sessions', '10'], {}, '--sessions (DEMO_SESSIONS) must be an integer from 20'],
    [[], { DEMO_RATE: '0' }, '--rate (DEMO_RATE) must be an integer from 1'],
    [[], { DEMO_RATE: '1.5' }, '--rate (DEMO_RATE)'],
    [['--nodes', '4'], {}, "Unknown option '--nodes'"],
  ])('refuses %j %j', (argv, env, message) => {
    expect(() => parseOptions(argv, env)).toThrow(OptionsError);
    expect(() => parseOptions(argv, env)).toThrow(message);
  });
});
