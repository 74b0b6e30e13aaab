// Credential fingerprints for cache keys: a synchronous, dependency-free SHA-256 and HMAC-SHA-256.
//
// Why not WebCrypto: `crypto.subtle` is async, and a manager (hence its cache key) is created
// synchronously. Why not node:crypto: core runs in browsers, Deno, Bun and workers without it.
// The fingerprint is computed once per provider, never per request, so speed does not matter.

import { base64url } from './encoding.ts';

/**
 * The FIPS 180-4 constants, computed rather than spelled out (they are 2 kB of noise in a bundle):
 * the first 32 bits of the fractional parts of the square roots (initial hash) and cube roots
 * (round constants) of the first 8 / 64 primes. The tests check every output against node:crypto.
 */
function fractionalBits(root: (n: number) => number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let n = 2, found = 0; found < count; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (prime) out[found++] = ((root(n) % 1) * 2 ** 32) >>> 0;
  }
  return out;
}
/** Worked out on first use: importing core costs nothing until a provider is built. */
let constants: { readonly h: Uint32Array; readonly k: Uint32Array } | undefined;

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
const utf8 = (data: Uint8Array | string): Uint8Array =>
  typeof data === 'string' ? new TextEncoder().encode(data) : data;
type Words = readonly [number, number, number, number, number, number, number, number];

/**
 * SHA-256 (FIPS 180-4) of `data`; strings are hashed as UTF-8.
 *
 * @example
 * sha256('abc'); // Uint8Array(32) ba7816bf…
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  const bytes = utf8(data);
  // Message + 0x80 + zero padding + 64-bit big-endian bit length, to a multiple of 64 bytes.
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 2 ** 29));
  view.setUint32(padded.length - 4, bytes.length * 8); // modulo 2^32

  constants ??= { h: fractionalBits(Math.sqrt, 8), k: fractionalBits(Math.cbrt, 64) };
  const { k } = constants;
  const h = constants.h.slice();
  const w = new Uint32Array(64);
  // The working variables a..h as v[0..7]; a Uint32Array keeps every sum modulo 2^32.
  const v = new Uint32Array(8);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = w[i - 16]! + s0 + w[i - 7]! + s1;
    }
    v.set(h);
    for (let i = 0; i < 64; i++) {
      const [a, b, c, , e, f, g, hh] = v as unknown as Words;
      const t1 =
        hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!;
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      // h←g, g←f, f←e, e←d+t1, d←c, c←b, b←a, a←t1+t2.
      v.copyWithin(1, 0, 7);
      v[4] = v[4]! + t1;
      v[0] = t1 + t2;
    }
    for (let i = 0; i < 8; i++) h[i] = h[i]! + v[i]!;
  }
  const out = new DataView(new ArrayBuffer(32));
  for (let i = 0; i < 8; i++) out.setUint32(i * 4, h[i]!);
  return new Uint8Array(out.buffer);
}

/**
 * HMAC-SHA-256 (RFC 2104) of `message` under `key`; strings are UTF-8.
 *
 * @example
 * hmacSha256('key', 'The quick brown fox jumps over the lazy dog'); // f7bc83f4…
 */
export function hmacSha256(key: Uint8Array | string, message: Uint8Array | string): Uint8Array {
  let keyBytes = utf8(key);
  if (keyBytes.length > 64) keyBytes = sha256(keyBytes);
  const messageBytes = utf8(message);
  const inner = new Uint8Array(64 + messageBytes.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = (keyBytes[i] ?? 0) ^ 0x36;
    outer[i] = (keyBytes[i] ?? 0) ^ 0x5c;
  }
  inner.set(messageBytes, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}

/**
 * A non-reversible fingerprint binding a cache key to a credential: base64url of the first 128
 * bits of HMAC-SHA-256 keyed by `secret` over `identity`. Two managers share a cached token only
 * when they hold the same credential; a Redis dump of keys gives no secret back (an HMAC keyed by
 * the secret, over public data, is a PRF output: guessing the secret means brute-forcing it).
 *
 * @example
 * const key = `client-credentials|${parts}|${credentialFingerprint(clientSecret, parts)}`;
 */
export function credentialFingerprint(secret: string, identity: string): string {
  return base64url(hmacSha256(secret, identity).subarray(0, 16));
}

/**
 * Joins cache-key parts so that no two different lists give the same key: each part is
 * `encodeURIComponent`-ed (which escapes `|`) before joining with `|`.
 *
 * @example
 * cacheKey(['client-credentials', 'a|', '']) !== cacheKey(['client-credentials', 'a', '|']);
 */
export function cacheKey(parts: readonly string[]): string {
  return parts.map(encodeURIComponent).join('|');
}
