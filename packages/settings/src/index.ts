/**
 * @module @kurento-fleet/settings — how every process of the fleet (control plane, agent, gateway) reads a
 * setting from its environment: one rule per kind of value, each naming the setting in its error. Zod only, so
 * that the control plane's Worker build uses the same rules.
 *
 * `label` is the setting as the operator should read it in an error: the variable, or the agent's
 * `FLEET_URL (--fleet-url)`.
 */
import { LOG_LEVELS, type LogLevel } from '@kurento-fleet/log';
import { z } from 'zod';

/** A whole number from `min` to `max`; unset or blank: `fallback`. */
export const integerSetting = (label: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} must be an integer from ${min} to ${max}, got '${raw}'`,
        });
        return z.NEVER;
      }
      return value;
    });

/** `true` or `false`; unset or blank: false. */
export const booleanSetting = (label: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '' || raw === 'false') return false;
      if (raw === 'true') return true;
      ctx.addIssue({ code: 'custom', message: `${label} must be true or false, got '${raw}'` });
      return z.NEVER;
    });

/** Set and not blank (trimmed). */
export const requiredSetting = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`);

/** A required URL with one of `protocols` (`'http:'`, `'ws:'`…) and a host. */
export const urlSetting = (label: string, protocols: readonly string[]) =>
  requiredSetting(label).refine(
    (raw) => {
      try {
        const url = new URL(raw);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    {
      error: (issue) =>
        `${label} must be a ${protocols.map((protocol) => `${protocol}//`).join(' or ')} URL, got '${String(issue.input)}'`,
    },
  );

/** A required bearer token as the control plane issues them: printable, no spaces, at most 512 characters. */
export const tokenSetting = (label: string, what = '') =>
  z
    .string({ error: `${label} is required${what}` })
    .trim()
    .min(1, `${label} is required${what}`)
    .regex(/^[\x21-\x7e]{1,512}$/, `${label} must be 1..512 printable characters without spaces`);

/** debug | info | warn | error, any case; unset or blank: info. */
export const logLevelSetting = (label: string) =>
  z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw === '' ? 'info' : raw.toLowerCase()))
    .refine((level): level is LogLevel => (LOG_LEVELS as readonly string[]).includes(level), {
      error: (issue) => `${label} must be one of ${LOG_LEVELS.join(', ')}, got '${String(issue.input)}'`,
    });

/**
 * An optional 256-bit key: 64 hex digits, or 32 bytes in base64 or base64url (`openssl rand -base64 32`); unset
 * or blank: undefined. The value is a secret: no error repeats it.
 */
export const keySetting = (label: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw?.trim() ?? '';
      if (text === '') return undefined;
      const key = decodeKey(text);
      if (!key) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} must be 32 random bytes, as 64 hex digits or in base64 (openssl rand -base64 32); got ${text.length} characters that are neither`,
        });
        return z.NEVER;
      }
      return key;
    });

function decodeKey(text: string): Uint8Array | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  }
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return undefined;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/').replace(/=?$/, '='));
  return binary.length === 32 ? Uint8Array.from(binary, (char) => char.charCodeAt(0)) : undefined;
}
