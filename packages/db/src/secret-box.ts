import { base64url } from './secrets';

/**
 * Secrets the control plane must read back (a webhook's signing secret keys the HMAC of every delivery, so it
 * cannot be stored as a hash like a token), sealed at rest with AES-256-GCM under the operator's key
 * (FLEET_SECRETS_KEY): a copy of the database alone then holds no usable secret. Web Crypto only, so that Node
 * and Workers share it.
 *
 * A sealed value reads `sealed:v1:<iv>.<ciphertext>` (base64url); its owner's id (the webhook's) is the GCM
 * associated data, so a sealed secret copied onto another row does not open there. A value without the prefix
 * is one stored before a key was set: read as it is, and sealed by {@link sealStoredSecrets}'s caller.
 */
/** What every sealed value starts with (a stored secret without it was stored before a key was set). */
export const SEALED_PREFIX = 'sealed:v1:';

/** A sealed secret that cannot be opened: no key is configured, or another one. */
export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

export interface SecretBox {
  /** Whether new secrets are sealed (a key is configured). */
  readonly sealing: boolean;
  /** The value to store for `secret`, owned by `owner`. */
  seal(secret: string, owner: string): Promise<string>;
  /** The secret a stored value holds. */
  open(stored: string, owner: string): Promise<string>;
}

/** A box that seals with `key` (32 bytes), or, without one, stores secrets as they are. */
export function secretBox(key?: Uint8Array): SecretBox {
  let imported: ReturnType<typeof crypto.subtle.importKey> | undefined;
  // Only called once `key` is known to be set.
  const cryptoKey = (raw: Uint8Array) => {
    imported ??= crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return imported;
  };
  const encoder = new TextEncoder();
  return {
    sealing: key !== undefined,
    async seal(secret, owner) {
      if (!key) return secret;
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(owner) },
        await cryptoKey(key),
        encoder.encode(secret),
      );
      return `${SEALED_PREFIX}${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
    },
    async open(stored, owner) {
      if (!stored.startsWith(SEALED_PREFIX)) return stored;
      if (!key) {
        throw new SecretUnavailableError(
          `the secret of '${owner}' is sealed, and no FLEET_SECRETS_KEY is configured to open it`,
        );
      }
      const [iv, data] = stored.slice(SEALED_PREFIX.length).split('.');
      try {
        const opened = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: fromBase64url(iv ?? ''), additionalData: encoder.encode(owner) },
          await cryptoKey(key),
          fromBase64url(data ?? ''),
        );
        return new TextDecoder().decode(opened);
      } catch {
        throw new SecretUnavailableError(
          `the secret of '${owner}' does not open with this FLEET_SECRETS_KEY (it was sealed with another key)`,
        );
      }
    },
  };
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
