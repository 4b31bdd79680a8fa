/**
 * Token secrets with Web Crypto only, so the same code runs on Node and in a Worker.
 * A token reads `kf_<id>_<secret>`: the id finds the stored row without touching the secret, then the hashes
 * are compared in constant time. 256 random bits make a stored SHA-256 enough (no slow KDF is needed).
 */
const prefix = 'kf_';

export interface IssuedToken {
  id: string;
  /** The full bearer token, shown to its owner once. */
  token: string;
  hash: string;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Bytes as base64url without padding (token secrets, sealed secrets). */
export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return hex(new Uint8Array(digest));
}

export async function issueToken(): Promise<IssuedToken> {
  const id = hex(crypto.getRandomValues(new Uint8Array(8)));
  const token = `${prefix}${id}_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  return { id, token, hash: await hashToken(token) };
}

/**
 * A webhook's id and signing secret. The secret keys the HMAC of every delivery; 256 random bits, as tokens.
 */
export function issueWebhookSecret(): { id: string; secret: string } {
  return {
    id: `wh_${hex(crypto.getRandomValues(new Uint8Array(8)))}`,
    secret: `whsec_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`,
  };
}

/** The id part of a well-formed token, or null. */
export function tokenId(token: string): string | null {
  const match = /^kf_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? (match[1] ?? null) : null;
}

/** Compares two equal-length hex digests without an early exit. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
