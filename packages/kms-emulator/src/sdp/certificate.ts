import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/** The DTLS identity of an emulated KMS: a self-signed ECDSA P-256 certificate and its key. */
export interface DtlsCertificate {
  /** PEM of the certificate, for the DTLS stack (media mode). */
  readonly certPem: string;
  /** PEM (PKCS#8) of the private key. */
  readonly keyPem: string;
  /** `a=fingerprint` value: SHA-256 of the DER certificate, upper-case hex pairs joined by colons. */
  readonly fingerprint: string;
}

// A minimal DER writer: enough for one X.509 v3 certificate, nothing more.
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else length = Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const sequence = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const bitString = (bytes: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), bytes]));

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2024-01-31T12:34:56.789Z → 240131123456Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';
const DAY_MS = 86_400_000;

/**
 * Makes a fresh self-signed certificate, as KMS does at start (CertificateManager) when no PEM is configured.
 * ECDSA because Chromium and the DTLS stack agree on ECDHE-ECDSA quickly; one per process, shared by every
 * WebRtcEndpoint, like KMS's default certificate.
 */
export function createDtlsCertificate(now: Date = new Date()): DtlsCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8('Kurento Media Server emulator'))));
  const serial = randomBytes(8);
  serial[0] = (serial[0] as number) & 0x7f; // a positive INTEGER
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // version: v3
    der(0x02, serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now.getTime() - DAY_MS)), utcTime(new Date(now.getTime() + 365 * DAY_MS))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certificate = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const base64 = certificate.toString('base64').replace(/.{1,64}/g, '$&\n');
  const digest = createHash('sha256').update(certificate).digest('hex').toUpperCase();
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    fingerprint: digest.replace(/(..)(?!$)/g, '$1:'),
  };
}
