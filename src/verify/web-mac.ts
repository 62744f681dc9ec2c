import type { MacCrypto } from './meta-loop.js';

// WebCrypto path for Workers, Deno, Bun, browsers-as-servers: no node:crypto anywhere in this
// file's graph. Imported keys are cached per (algorithm, secret) because importKey is the
// expensive, async part.
const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined) throw new TypeError('WebCrypto (globalThis.crypto.subtle) is not available in this runtime.');
  return s;
}

function hmacKey(algorithm: 'sha256' | 'sha1', secret: string): Promise<CryptoKey> {
  const id = `${algorithm}:${secret}`;
  let key = keys.get(id);
  if (key === undefined) {
    const hash = algorithm === 'sha1' ? 'SHA-1' : 'SHA-256';
    key = subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['sign']);
    if (keys.size > 64) keys.clear(); // bounded: secrets are few, this only guards misuse
    keys.set(id, key);
  }
  return key;
}

/** Equality in time that depends only on the length (digests have the algorithm's length). */
function constantTimeBytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** WebCrypto for the verification loop: asynchronous `crypto.subtle.sign`, constant-time comparison. */
export const webMac: MacCrypto<Promise<Uint8Array>> = {
  hmac: async (algorithm, secret, body) => {
    const bytes = typeof body === 'string' ? encoder.encode(body) : body;
    return new Uint8Array(await subtle().sign('HMAC', await hmacKey(algorithm, secret), bytes as BufferSource));
  },
  equal: constantTimeBytesEqual,
};
