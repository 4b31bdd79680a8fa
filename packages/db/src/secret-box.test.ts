import { describe, expect, it } from 'vitest';
import { SEALED_PREFIX, SecretUnavailableError, secretBox } from './secret-box';

const key = () => crypto.getRandomValues(new Uint8Array(32));

describe('secretBox', () => {
  it('seals a secret so that only the same key opens it, for the same owner', async () => {
    const box = secretBox(key());
    const sealed = await box.seal('whsec_abc', 'wh_1');
    expect(sealed.startsWith(SEALED_PREFIX)).toBe(true);
    expect(sealed).not.toContain('abc');
    expect(await box.open(sealed, 'wh_1')).toBe('whsec_abc');
    // A fresh IV each time: the same secret never seals the same way twice.
    expect(await box.seal('whsec_abc', 'wh_1')).not.toBe(sealed);
  });

  it('refuses a sealed secret under another owner (copied onto another row) or another key, naming why', async () => {
    const k = key();
    const sealed = await secretBox(k).seal('whsec_abc', 'wh_1');
    await expect(secretBox(k).open(sealed, 'wh_2')).rejects.toThrow(SecretUnavailableError);
    await expect(secretBox(key()).open(sealed, 'wh_1')).rejects.toThrow(
      "the secret of 'wh_1' does not open with this FLEET_SECRETS_KEY (it was sealed with another key)",
    );
    await expect(secretBox().open(sealed, 'wh_1')).rejects.toThrow(
      "the secret of 'wh_1' is sealed, and no FLEET_SECRETS_KEY is configured to open it",
    );
  });

  it('reads a secret stored before a key was set as it is; without a key, stores secrets as they are', async () => {
    expect(await secretBox(key()).open('whsec_plain', 'wh_1')).toBe('whsec_plain');
    const none = secretBox();
    expect(none.sealing).toBe(false);
    expect(await none.seal('whsec_plain', 'wh_1')).toBe('whsec_plain');
    expect(await none.open('whsec_plain', 'wh_1')).toBe('whsec_plain');
  });
});
