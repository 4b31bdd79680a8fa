/**
 * Webhook signatures, with Web Crypto only: the control plane signs with it on Node and on Workers, receivers
 * verify with it. Each delivery carries `X-Fleet-Timestamp` (unix seconds) and
 * `X-Fleet-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`: the timestamp is signed with
 * the body, so that a recorded delivery cannot be replayed later with a fresh timestamp.
 */

/** The headers of a delivery, lower-cased as Node and fetch give them. */
export const webhookHeaders = {
  event: 'x-fleet-event',
  delivery: 'x-fleet-delivery',
  timestamp: 'x-fleet-timestamp',
  signature: 'x-fleet-signature',
} as const;

const encoder = new TextEncoder();

function hmacKey(secret: string, usage: 'sign' | 'verify') {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    usage,
  ]);
}

function signedBytes(timestamp: string, body: string | Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${timestamp}.`);
  const payload = typeof body === 'string' ? encoder.encode(body) : body;
  const bytes = new Uint8Array(prefix.length + payload.length);
  bytes.set(prefix);
  bytes.set(payload, prefix.length);
  return bytes;
}

/** The `X-Fleet-Signature` value of `body` sent at `timestamp` (unix seconds). */
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret, 'sign'),
    signedBytes(String(timestamp), body),
  );
  return `sha256=${Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Request headers as Node's `req.headers` or fetch's `Headers` hold them. */
export type WebhookRequestHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookRequestHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way (default 300 s): an older delivery is refused. */
  toleranceSeconds?: number;
  /** The current time in epoch milliseconds; a test passes its own. */
  now?: number;
}

/**
 * True when a delivery is from the control plane that holds `secret`: its signature matches the raw body (the
 * bytes as received, before any JSON parsing) and its timestamp is within the tolerance. The comparison is Web
 * Crypto's HMAC verify, which takes the same time wherever the signatures differ. A receiver should also drop a
 * delivery whose `X-Fleet-Delivery` (the event id) it has seen: delivery is at least once.
 */
export async function verifyWebhookSignature(
  secret: string,
  headers: WebhookRequestHeaders,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
): Promise<boolean> {
  const timestamp = header(headers, webhookHeaders.timestamp);
  const signature = /^sha256=([0-9a-f]{64})$/.exec(header(headers, webhookHeaders.signature) ?? '')?.[1];
  if (timestamp === undefined || !/^[0-9]{1,12}$/.test(timestamp) || signature === undefined) return false;
  const age = Math.abs((options.now ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (options.toleranceSeconds ?? 300)) return false;
  const mac = new Uint8Array(signature.match(/../g)?.map((pair) => Number.parseInt(pair, 16)) ?? []);
  return crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), mac, signedBytes(timestamp, rawBody));
}
