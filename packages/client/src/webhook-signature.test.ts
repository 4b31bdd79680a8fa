import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test-secret';
const body = '{"id":"7","type":"node.down","at":"2026-01-01T00:00:00.000Z","data":{"sessions":["é"]}}';
const now = Date.UTC(2026, 0, 1, 12);
const timestamp = Math.floor(now / 1000);

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of timestamp + "." + body, as a receiver in any language computes it', async () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(await signWebhook(secret, timestamp, body)).toBe(`sha256=${expected}`);
  });

  it('verify from fetch Headers or Node headers, with the body as text or bytes', async () => {
    const signature = await signWebhook(secret, timestamp, body);
    const node = { 'x-fleet-timestamp': String(timestamp), 'x-fleet-signature': signature };
    const web = new Headers({ 'X-Fleet-Timestamp': String(timestamp), 'X-Fleet-Signature': signature });
    expect(await verifyWebhookSignature(secret, node, body, { now })).toBe(true);
    expect(await verifyWebhookSignature(secret, web, body, { now })).toBe(true);
    expect(await verifyWebhookSignature(secret, node, new TextEncoder().encode(body), { now })).toBe(true);
  });

  it('refuse a changed body, another secret, another timestamp, and malformed headers', async () => {
    const signature = await signWebhook(secret, timestamp, body);
    const headers = (ts: string, sig: string | undefined) => ({
      'x-fleet-timestamp': ts,
      'x-fleet-signature': sig,
    });
    const cases: [string, Record<string, string | undefined>, string, string][] = [
      ['a changed body', headers(String(timestamp), signature), secret, body.replace('7', '8')],
      ['another secret', headers(String(timestamp), signature), `${secret}x`, body],
      ['another timestamp', headers(String(timestamp + 1), signature), secret, body],
      ['no signature', headers(String(timestamp), undefined), secret, body],
      ['an uppercase signature', headers(String(timestamp), signature.toUpperCase()), secret, body],
      ['a short signature', headers(String(timestamp), signature.slice(0, -2)), secret, body],
      ['another scheme', headers(String(timestamp), signature.replace('sha256', 'sha1')), secret, body],
      ['a timestamp that is not a number', headers('1e9', signature), secret, body],
    ];
    for (const [what, given, key, payload] of cases)
      expect(await verifyWebhookSignature(key, given, payload, { now }), what).toBe(false);
  });

  it('refuse a delivery older or newer than the tolerance (a replay), 300 s by default', async () => {
    const old = timestamp - 301;
    const headers = {
      'x-fleet-timestamp': String(old),
      'x-fleet-signature': await signWebhook(secret, old, body),
    };
    expect(await verifyWebhookSignature(secret, headers, body, { now })).toBe(false);
    expect(await verifyWebhookSignature(secret, headers, body, { now, toleranceSeconds: 302 })).toBe(true);
    const future = timestamp + 301;
    const ahead = {
      'x-fleet-timestamp': String(future),
      'x-fleet-signature': await signWebhook(secret, future, body),
    };
    expect(await verifyWebhookSignature(secret, ahead, body, { now })).toBe(false);
  });
});
