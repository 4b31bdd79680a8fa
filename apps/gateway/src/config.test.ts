import { describe, expect, it } from 'vitest';
import { ConfigError, defaultGatewayId, parseConfig } from './config';

const env = { FLEET_URL: 'http://10.0.0.2:8080', FLEET_TOKEN: 'kf_app_secret' };

describe('parseConfig', () => {
  it('reads the environment, with the defaults of KMS and of the gateway', () => {
    expect(parseConfig(env)).toEqual({
      fleetUrl: 'http://10.0.0.2:8080',
      fleetToken: 'kf_app_secret',
      host: '127.0.0.1',
      port: 8888,
      gatewayId: defaultGatewayId(8888),
      graceMs: 500,
      connectTimeoutMs: 3000,
      detachedSessionMs: 60_000,
      bufferFrames: 1000,
      topologyRefreshMs: 5000,
      logLevel: 'info',
    });
  });

  it('takes every setting, and an empty variable as unset', () => {
    expect(
      parseConfig({
        ...env,
        GATEWAY_HOST: '0.0.0.0',
        GATEWAY_PORT: '0',
        GATEWAY_ID: 'gw-1',
        GATEWAY_BACKEND_GRACE_MS: '250',
        GATEWAY_CONNECT_TIMEOUT_MS: '',
        GATEWAY_LOG_LEVEL: 'DEBUG',
      }),
    ).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      gatewayId: 'gw-1',
      graceMs: 250,
      connectTimeoutMs: 3000,
      logLevel: 'debug',
    });
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['a missing FLEET_URL', { FLEET_URL: undefined }, /FLEET_URL is required/],
    [
      'a FLEET_URL that is not http',
      { FLEET_URL: 'ws://x:1' },
      /FLEET_URL must be a http:\/\/ or https:\/\/ URL, got 'ws:\/\/x:1'/,
    ],
    ['a missing FLEET_TOKEN', { FLEET_TOKEN: '  ' }, /FLEET_TOKEN is required \(an app token\)/],
    ['a token with a space', { FLEET_TOKEN: 'a b' }, /FLEET_TOKEN must be 1..512 printable characters/],
    [
      'a port out of range',
      { GATEWAY_PORT: '70000' },
      /GATEWAY_PORT must be an integer from 0 to 65535, got '70000'/,
    ],
    ['a port that is not a number', { GATEWAY_PORT: '88a' }, /GATEWAY_PORT/],
    ['a bad gateway id', { GATEWAY_ID: 'gw 1' }, /GATEWAY_ID must be 1..64 characters/],
    ['a grace too long', { GATEWAY_BACKEND_GRACE_MS: '99999' }, /GATEWAY_BACKEND_GRACE_MS/],
    [
      'an unknown log level',
      { GATEWAY_LOG_LEVEL: 'loud' },
      /GATEWAY_LOG_LEVEL must be one of debug, info, warn, error/,
    ],
  ])('refuses %s, naming it', (_name, overrides, message) => {
    const run = () => parseConfig({ ...env, ...overrides });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => parseConfig({ GATEWAY_PORT: '-1' })).toThrow(/FLEET_URL.*FLEET_TOKEN.*GATEWAY_PORT/);
  });
});

describe('defaultGatewayId', () => {
  it('is the host name and the port, in the id alphabet and length', () => {
    expect(defaultGatewayId(8888, 'app-1.example')).toBe('app-1.example-8888');
    expect(defaultGatewayId(8888, 'weird host/name')).toBe('weird-host-name-8888');
    expect(defaultGatewayId(8888, 'x'.repeat(100))).toHaveLength(64);
  });
});
