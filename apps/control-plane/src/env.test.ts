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
      FLEET_EDGE_STATE_DIR: './data/edge',
      FLEET_ADMIN_TOKEN: undefined,
      FLEET_HEARTBEAT_INTERVAL_MS: 2000,
      FLEET_HEARTBEAT_TIMEOUT_MS: 6000,
    });
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
      }),
    ).toMatchObject({
      PORT: 9000,
      HOST: '0.0.0.0',
      FLEET_HEARTBEAT_INTERVAL_MS: 500,
      FLEET_HEARTBEAT_TIMEOUT_MS: 1500,
    });
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
    [{ FLEET_DB_PATH: '' }, 'FLEET_DB_PATH'],
    [{ FLEET_DB_URL: 'postgres://db/fleet' }, 'FLEET_DB_URL'],
    [{ FLEET_DB_URL: 'fleet.db' }, 'FLEET_DB_URL'],
  ])('refuses %j with a message naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });
});
