import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  booleanSetting,
  integerSetting,
  keySetting,
  logLevelSetting,
  tokenSetting,
  urlSetting,
} from './index';

/** The value, or the messages of the issues, of one setting read from `raw`. */
function read<T>(schema: z.ZodType<T>, raw: string | undefined): T | string[] {
  const result = z.object({ X: schema }).safeParse(raw === undefined ? {} : { X: raw });
  return result.success ? result.data.X : result.error.issues.map((issue) => issue.message);
}

describe('settings rules', () => {
  it('integers: fallback when unset or blank, bounds inclusive, anything else named', () => {
    const port = integerSetting('PORT', 8080, 0, 65_535);
    expect(read(port, undefined)).toBe(8080);
    expect(read(port, ' ')).toBe(8080);
    expect(read(port, '0')).toBe(0);
    expect(read(port, ' 65535 ')).toBe(65_535);
    for (const bad of ['65536', '-1', '1.5', '1e3', 'x']) {
      expect(read(port, bad)).toEqual([`PORT must be an integer from 0 to 65535, got '${bad}'`]);
    }
  });

  it('booleans: true, false or unset', () => {
    const flag = booleanSetting('FLAG');
    expect([read(flag, undefined), read(flag, ''), read(flag, 'false'), read(flag, 'true')]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(read(flag, 'yes')).toEqual(["FLAG must be true or false, got 'yes'"]);
  });

  it('URLs: required, one of the protocols, a host', () => {
    const url = urlSetting('FLEET_URL (--fleet-url)', ['http:', 'https:']);
    expect(read(url, ' https://cp.example:8080 ')).toBe('https://cp.example:8080');
    expect(read(url, undefined)).toEqual(['FLEET_URL (--fleet-url) is required']);
    expect(read(url, 'ws://cp')).toEqual([
      "FLEET_URL (--fleet-url) must be a http:// or https:// URL, got 'ws://cp'",
    ]);
    expect(read(url, 'not a url')).toHaveLength(1);
  });

  it('tokens: required (with what to give), printable, no spaces', () => {
    const token = tokenSetting('FLEET_TOKEN', ' (an app token)');
    expect(read(token, 'kf_abc')).toBe('kf_abc');
    expect(read(token, undefined)).toEqual(['FLEET_TOKEN is required (an app token)']);
    expect(read(token, 'kf abc')).toEqual(['FLEET_TOKEN must be 1..512 printable characters without spaces']);
    expect(read(token, 'x'.repeat(513))).toHaveLength(1);
  });

  it('log levels: any case, info by default', () => {
    const level = logLevelSetting('LOG');
    expect([read(level, undefined), read(level, 'WARN')]).toEqual(['info', 'warn']);
    expect(read(level, 'loud')).toEqual(["LOG must be one of debug, info, warn, error, got 'loud'"]);
  });

  it('keys: 32 bytes as hex, base64 or base64url; the value never repeated in an error', () => {
    const setting = keySetting('FLEET_SECRETS_KEY');
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const base64 = btoa(String.fromCharCode(...bytes));
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const base64url = base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=$/, '');
    for (const text of [base64, hex, hex.toUpperCase(), base64url, ` ${base64} `])
      expect(read(setting, text)).toEqual(bytes);
    expect([read(setting, undefined), read(setting, '')]).toEqual([undefined, undefined]);
    const short = btoa('sixteen bytes!!!');
    const errors = read(setting, short) as string[];
    expect(errors).toEqual([
      `FLEET_SECRETS_KEY must be 32 random bytes, as 64 hex digits or in base64 (openssl rand -base64 32); got ${short.length} characters that are neither`,
    ]);
    expect(errors.join()).not.toContain(short);
    expect(read(setting, 'z'.repeat(64))).toHaveLength(1);
  });
});
