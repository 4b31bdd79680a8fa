import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const env = {
  FLEET_URL: 'http://10.0.0.2:8080',
  FLEET_NODE_ID: 'kms-1',
  FLEET_AGENT_TOKEN: 'kf_abc_def',
  KMS_URI: 'ws://127.0.0.1:8888/kurento',
};

describe('parseConfig', () => {
  it('reads the environment, with defaults for the optional settings', () => {
    expect(parseConfig(env)).toEqual({
      help: false,
      config: {
        fleetUrl: 'http://10.0.0.2:8080',
        nodeId: 'kms-1',
        agentToken: 'kf_abc_def',
        kmsUri: 'ws://127.0.0.1:8888/kurento',
        probeIntervalMs: 1000,
        probeDeadlineMs: 1500,
        cpuSampleMs: 300,
        logLevel: 'info',
      },
    });
  });

  it('lets flags override the environment, and skips the `--` that pnpm passes through', () => {
    const { config } = parseConfig({ ...env, FLEET_PROBE_INTERVAL_MS: '2000' }, [
      '--',
      '--node-id',
      'kms-9',
      '--kms-uri=wss://kms.example:8433/kurento',
      '--probe-interval-ms',
      '500',
      '--log-level',
      'DEBUG',
    ]);
    expect(config).toMatchObject({
      nodeId: 'kms-9',
      kmsUri: 'wss://kms.example:8433/kurento',
      probeIntervalMs: 500,
      logLevel: 'debug',
      fleetUrl: env.FLEET_URL,
    });
  });

  it('takes everything from flags alone', () => {
    const { config } = parseConfig({}, [
      '--fleet-url',
      'https://fleet.example',
      '--node-id',
      'a',
      '--token',
      't',
      '--kms-uri',
      'ws://k:8888/kurento',
    ]);
    expect(config).toMatchObject({ fleetUrl: 'https://fleet.example', agentToken: 't' });
  });

  it('recognises --help', () => {
    expect(parseConfig({}, ['--help'])).toEqual({ help: true });
    expect(parseConfig({}, ['-h'])).toEqual({ help: true });
  });

  it.each<[string, Record<string, string | undefined>, string[], RegExp]>([
    ['a missing FLEET_URL', { FLEET_URL: undefined }, [], /FLEET_URL \(--fleet-url\) is required/],
    ['an empty FLEET_NODE_ID', { FLEET_NODE_ID: '  ' }, [], /FLEET_NODE_ID \(--node-id\) is required/],
    ['a missing token', { FLEET_AGENT_TOKEN: undefined }, [], /FLEET_AGENT_TOKEN \(--token\) is required/],
    ['a missing KMS_URI', { KMS_URI: undefined }, [], /KMS_URI \(--kms-uri\) is required/],
    [
      'a FLEET_URL that is not http',
      { FLEET_URL: 'ws://x:1' },
      [],
      /FLEET_URL .* must be a http:\/\/ or https:\/\/ URL, got 'ws:\/\/x:1'/,
    ],
    ['a FLEET_URL that is not a URL', { FLEET_URL: 'control-plane' }, [], /FLEET_URL/],
    [
      'a KMS_URI that is not ws',
      { KMS_URI: 'http://k:8888/kurento' },
      [],
      /KMS_URI .* must be a ws:\/\/ or wss:\/\/ URL/,
    ],
    ['a bad node id', { FLEET_NODE_ID: 'kms 1' }, [], /FLEET_NODE_ID .* must be 1..64 characters/],
    [
      'a token with a space',
      { FLEET_AGENT_TOKEN: 'a b' },
      [],
      /FLEET_AGENT_TOKEN .* printable characters without spaces/,
    ],
    [
      'a non-integer interval',
      { FLEET_PROBE_INTERVAL_MS: '1e3' },
      [],
      /FLEET_PROBE_INTERVAL_MS .* integer from 50 to 600000, got '1e3'/,
    ],
    ['a deadline too small', { FLEET_PROBE_DEADLINE_MS: '10' }, [], /FLEET_PROBE_DEADLINE_MS/],
    [
      'a CPU sample not below the deadline',
      { FLEET_CPU_SAMPLE_MS: '1500' },
      [],
      /FLEET_CPU_SAMPLE_MS .* below FLEET_PROBE_DEADLINE_MS/,
    ],
    [
      'an unknown log level',
      { FLEET_LOG_LEVEL: 'loud' },
      [],
      /FLEET_LOG_LEVEL .* one of debug, info, warn, error, got 'loud'/,
    ],
    [
      'a bad flag value',
      {},
      ['--probe-interval-ms', 'soon'],
      /FLEET_PROBE_INTERVAL_MS \(--probe-interval-ms\)/,
    ],
    ['an unknown flag', {}, ['--kms', 'ws://x'], /Invalid command line: Unknown option '--kms'/],
    ['a positional argument', {}, ['kms-1'], /Invalid command line/],
  ])('refuses %s, naming it', (_name, overrides, argv, message) => {
    const run = () => parseConfig({ ...env, ...overrides }, argv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => parseConfig({})).toThrow(/FLEET_URL.*FLEET_NODE_ID.*FLEET_AGENT_TOKEN.*KMS_URI/);
  });
});
