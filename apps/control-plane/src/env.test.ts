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
      FLEET_TRUSTED_PROXIES: [],
      FLEET_TRUST_CF_CONNECTING_IP: false,
      FLEET_HTTP_HEADERS_TIMEOUT_MS: 10_000,
      FLEET_HTTP_REQUEST_TIMEOUT_MS: 30_000,
      FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      FLEET_HTTP_MAX_CONNECTIONS: 4096,
      FLEET_WEBHOOK_BACKOFF_MS: 1000,
      FLEET_WEBHOOK_MAX_BACKOFF_MS: 600_000,
      FLEET_WEBHOOK_TIMEOUT_MS: 10_000,
      FLEET_WEBHOOK_RETRY_WINDOW_MS: 86_400_000,
      FLEET_OUTBOX_POLL_MS: 1000,
      FLEET_EVENT_RETENTION_MS: 604_800_000,
      FLEET_STREAM_KEEPALIVE_MS: 15_000,
    });
  });

  it('refuses a webhook backoff whose cap is below its first wait, naming both', () => {
    expect(() =>
      parseConfig({ FLEET_WEBHOOK_BACKOFF_MS: '5000', FLEET_WEBHOOK_MAX_BACKOFF_MS: '1000' }),
    ).toThrow('FLEET_WEBHOOK_MAX_BACKOFF_MS must be at least FLEET_WEBHOOK_BACKOFF_MS');
    expect(() => parseConfig({ FLEET_WEBHOOK_TIMEOUT_MS: '10' })).toThrow(
      'FLEET_WEBHOOK_TIMEOUT_MS must be an integer from 100 to 600000',
    );
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

  it('reads trusted proxies: addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(
      parseConfig({ FLEET_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7,fd00::/8 , ::1' }).FLEET_TRUSTED_PROXIES,
    ).toEqual([
      { family: 4, base: 0x0a000000n, prefix: 8 },
      { family: 4, base: 0xc0000207n, prefix: 32 },
      { family: 6, base: 0xfdn << 120n, prefix: 8 },
      { family: 6, base: 1n, prefix: 128 },
    ]);
    expect(parseConfig({ FLEET_TRUST_CF_CONNECTING_IP: 'true' }).FLEET_TRUST_CF_CONNECTING_IP).toBe(true);
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
    [{ FLEET_TRUSTED_PROXIES: 'proxy.internal' }, 'FLEET_TRUSTED_PROXIES'],
    [{ FLEET_TRUSTED_PROXIES: '10.0.0.0/8, 10.0.0.0/33' }, 'FLEET_TRUSTED_PROXIES'],
    [{ FLEET_TRUSTED_PROXIES: '*' }, 'FLEET_TRUSTED_PROXIES'],
    [{ FLEET_TRUST_CF_CONNECTING_IP: 'yes' }, 'FLEET_TRUST_CF_CONNECTING_IP'],
    [{ FLEET_HTTP_HEADERS_TIMEOUT_MS: '0' }, 'FLEET_HTTP_HEADERS_TIMEOUT_MS'],
    [{ FLEET_HTTP_HEADERS_TIMEOUT_MS: '10s' }, 'FLEET_HTTP_HEADERS_TIMEOUT_MS'],
    [{ FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' }, 'FLEET_HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{ FLEET_HTTP_MAX_CONNECTIONS: '0' }, 'FLEET_HTTP_MAX_CONNECTIONS'],
    [
      { FLEET_HTTP_HEADERS_TIMEOUT_MS: '20000', FLEET_HTTP_REQUEST_TIMEOUT_MS: '15000' },
      'FLEET_HTTP_REQUEST_TIMEOUT_MS',
    ],
  ])('refuses %j with a message naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });
});
