import { describe, expect, it } from 'vitest';
import { CliError, parseCliArgs } from './cli-args';

describe('parseCliArgs', () => {
  it('skips the literal -- that pnpm 10 passes through, and defaults to one emulator on 8888', () => {
    expect(parseCliArgs(['--'])).toStrictEqual({
      help: false,
      ports: [8888],
      host: '127.0.0.1',
      controlPort: undefined,
      stateFile: undefined,
      cpuCount: undefined,
      load: { cpuPercent: undefined, memoryKiB: undefined },
      gcIntervalMs: 240_000,
      delayMs: 0,
      objectLimit: undefined,
      media: false,
    });
    expect(parseCliArgs(['--', '--port', '9000']).ports).toEqual([9000]);
  });

  it('takes several ports, repeated or as a list, and the other flags', () => {
    const config = parseCliArgs([
      '--port=8888,8889',
      '--port',
      '8890',
      '--control-port',
      '8999',
      '--state-file',
      '/tmp/kms.json',
      '--cpu',
      '42.5',
      '--memory',
      '2048',
      '--gc-interval',
      '0.5',
      '--object-limit',
      '100',
      '--media',
    ]);
    expect(config).toMatchObject({
      ports: [8888, 8889, 8890],
      controlPort: 8999,
      stateFile: '/tmp/kms.json',
      load: { cpuPercent: 42.5, memoryKiB: 2048 },
      gcIntervalMs: 500,
      objectLimit: 100,
      media: true,
    });
  });

  it.each([
    [['--port', 'abc'], "--port must be an integer from 0 to 65535, got 'abc'"],
    [['--port', '70000'], '--port must be an integer'],
    [['--port', '8888,8888'], '--port lists a port twice'],
    [['--cpu=-1'], '--cpu must be a number'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['8888'], 'Unexpected argument'],
    [['--media=yes'], "Option '--media' does not take an argument"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
