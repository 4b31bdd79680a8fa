import { createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDtlsCertificate } from './certificate';

describe('the DTLS certificate', () => {
  it('is a valid self-signed ECDSA P-256 X.509 certificate whose SHA-256 fingerprint the SDPs carry', () => {
    const now = new Date('2026-01-15T10:00:00Z');
    const certificate = createDtlsCertificate(now);
    const x509 = new X509Certificate(certificate.certPem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x509.fingerprint256).toBe(certificate.fingerprint);
    expect(certificate.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new Date(x509.validFrom) < now && now < new Date(x509.validTo)).toBe(true);
    // The key belongs to the certificate.
    expect(createPublicKey(certificate.keyPem).export({ format: 'jwk' })).toEqual(
      x509.publicKey.export({ format: 'jwk' }),
    );
    expect(createDtlsCertificate(now).fingerprint).not.toBe(certificate.fingerprint);
  });
});
