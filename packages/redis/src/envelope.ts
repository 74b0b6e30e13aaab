// The stored value: a JSON envelope `{ v, fp, token }` or, encrypted, `{ v, fp, iv, ct }`.
// `fp` (SHA-256 of the access token) sits outside so the compare-and-delete script can read it.
import type { Token } from '@authwire/core';
import { fromBase64, sha256Hex, toBase64, utf8 } from './bytes.ts';

const version = 1;
const ivLength = 12;

/** SHA-256 of the access token: identifies a token without revealing it. */
export function fingerprint(token: Token): Promise<string> {
  return sha256Hex(token.accessToken);
}

/** Only the fields of `Token`, so nothing else a caller hung on the object reaches Redis. */
function plain(token: Token): Token {
  const { accessToken, tokenType, expiresAt, issuedAt, scope } = token;
  return scope === undefined
    ? { accessToken, tokenType, expiresAt, issuedAt }
    : { accessToken, tokenType, expiresAt, issuedAt, scope };
}

function parseToken(value: unknown): Token | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { accessToken, tokenType, expiresAt, issuedAt, scope } = value as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  if (typeof tokenType !== 'string') return undefined;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return undefined;
  if (scope !== undefined && typeof scope !== 'string') return undefined;
  return plain({
    accessToken,
    tokenType,
    expiresAt,
    issuedAt,
    ...(scope === undefined ? {} : { scope }),
  });
}

/** Binds a ciphertext to its Redis key and fingerprint, so neither can be swapped in Redis. */
function associatedData(redisKey: string, fp: string): Uint8Array<ArrayBuffer> {
  return utf8(`authwire:${redisKey}:${fp}`);
}

export async function encodeEnvelope(
  token: Token,
  redisKey: string,
  key: CryptoKey | undefined,
): Promise<string> {
  const fp = await fingerprint(token);
  if (key === undefined) return JSON.stringify({ v: version, fp, token: plain(token) });
  const iv = crypto.getRandomValues(new Uint8Array(ivLength));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: associatedData(redisKey, fp) },
    key,
    utf8(JSON.stringify(plain(token))),
  );
  return JSON.stringify({
    v: version,
    fp,
    iv: toBase64(iv),
    ct: toBase64(new Uint8Array(ciphertext)),
  });
}

/**
 * The token in `raw`, or `undefined` when it is corrupt, of another version, encrypted with
 * another key, or not encrypted when it should be (and the reverse). Never throws.
 */
export async function decodeEnvelope(
  raw: string,
  redisKey: string,
  key: CryptoKey | undefined,
): Promise<Token | undefined> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const { v, fp, token, iv, ct } = envelope as Record<string, unknown>;
  if (v !== version || typeof fp !== 'string') return undefined;

  let parsed: Token | undefined;
  if (key === undefined) {
    parsed = parseToken(token);
  } else {
    if (typeof iv !== 'string' || typeof ct !== 'string') return undefined;
    const ivBytes = fromBase64(iv);
    const ctBytes = fromBase64(ct);
    if (ivBytes?.length !== ivLength || ctBytes === undefined) return undefined;
    try {
      const clear = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: ivBytes, additionalData: associatedData(redisKey, fp) },
        key,
        ctBytes,
      );
      parsed = parseToken(JSON.parse(new TextDecoder().decode(clear)));
    } catch {
      return undefined; // wrong key, tampered data, or not JSON inside
    }
  }
  // The fingerprint must match the token, or compare-and-delete would guard the wrong thing.
  if (parsed === undefined || (await fingerprint(parsed)) !== fp) return undefined;
  return parsed;
}
