import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './env';

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig({})).toEqual({
      PORT: 8080,
      HOST: '127.0.0.1',
      FLEET_DB_PATH: './data/fleet.db',
      FLEET_DB_URL: undefined,
      FLEET_DB_AUTH_TOKEN: undefined,
      FLEET_DB_SYNCHRONOUS: 'full',
      FLEET_EDGE_STATE_DIR: './data/edge',
      FLEET_ADMIN_TOKEN: undefined,
      FLEET_HEARTBEAT_INTERVAL_MS: 2000,
      FLEET_HEARTBEAT_TIMEOUT_MS: 6000,
      FLEET_METRICS_PUBLIC: false,
      FLEET_CORS_ORIGINS: [],
      FLEET_AUTH_FAILURES_PER_MINUTE: 30,
      FLEET_EJECTION_MS: 30_000,
      FLEET_MAX_EJECTED_PERCENT: 50,
      FLEET_SLOW_START_MS: 0,
      FLEET_MAX_CPU_PERCENT: 85,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ FLEET_ADMIN_TOKEN: '', PORT: '', FLEET_DB_URL: '' })).toEqual(parseConfig({}));
  });

  it('reads a list of CORS origins', () => {
    expect(
      parseConfig({ FLEET_CORS_ORIGINS: 'https://ops.example.com, http://127.0.0.1:3000' })
        .FLEET_CORS_ORIGINS,
    ).toEqual(['https://ops.example.com', 'http://127.0.0.1:3000']);
  });

  it('reads every variable', () => {
    expect(
      parseConfig({
        PORT: '9000',
        HOST: '0.0.0.0',
        FLEET_DB_PATH: '/var/lib/fleet.db',
        FLEET_ADMIN_TOKEN: 'a-long-enough-admin-token',
        FLEET_HEARTBEAT_INTERVAL_MS: '500',
        FLEET_HEARTBEAT_TIMEOUT_MS: '1500',
        FLEET_METRICS_PUBLIC: 'true',
        FLEET_DB_SYNCHRONOUS: 'normal',
      }),
    ).toMatchObject({
      PORT: 9000,
      HOST: '0.0.0.0',
      FLEET_HEARTBEAT_INTERVAL_MS: 500,
      FLEET_HEARTBEAT_TIMEOUT_MS: 1500,
      FLEET_METRICS_PUBLIC: true,
      FLEET_DB_SYNCHRONOUS: 'normal',
    });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['', false],
  ])('reads FLEET_METRICS_PUBLIC=%j as %s', (raw, expected) => {
    expect(parseConfig({ FLEET_METRICS_PUBLIC: raw }).FLEET_METRICS_PUBLIC).toBe(expected);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ FLEET_HEARTBEAT_INTERVAL_MS: '1.5' }, 'FLEET_HEARTBEAT_INTERVAL_MS'],
    [{ FLEET_HEARTBEAT_TIMEOUT_MS: '10' }, 'FLEET_HEARTBEAT_TIMEOUT_MS'],
    [
      { FLEET_HEARTBEAT_INTERVAL_MS: '5000', FLEET_HEARTBEAT_TIMEOUT_MS: '4000' },
      'FLEET_HEARTBEAT_TIMEOUT_MS',
    ],
    [{ FLEET_ADMIN_TOKEN: 'short' }, 'FLEET_ADMIN_TOKEN'],
    [{ FLEET_ADMIN_TOKEN: 'has spaces in the admin token' }, 'FLEET_ADMIN_TOKEN'],
    [{ FLEET_CORS_ORIGINS: '*' }, 'FLEET_CORS_ORIGINS'],
    [{ FLEET_CORS_ORIGINS: 'https://ok.example, https://bad.example/path' }, 'FLEET_CORS_ORIGINS'],
    [{ FLEET_AUTH_FAILURES_PER_MINUTE: '0' }, 'FLEET_AUTH_FAILURES_PER_MINUTE'],
    [{ FLEET_DB_URL: 'postgres://db/fleet' }, 'FLEET_DB_URL'],
    [{ FLEET_DB_URL: 'fleet.db' }, 'FLEET_DB_URL'],
    [{ FLEET_METRICS_PUBLIC: 'yes' }, 'FLEET_METRICS_PUBLIC'],
    [{ FLEET_METRICS_PUBLIC: 'TRUE' }, 'FLEET_METRICS_PUBLIC'],
    [{ FLEET_METRICS_PUBLIC: '1' }, 'FLEET_METRICS_PUBLIC'],
    [{ FLEET_DB_SYNCHRONOUS: 'off' }, 'FLEET_DB_SYNCHRONOUS'],
  ])('refuses %j with a message naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });
});
