// Client assertions (RFC 7523 §2.2, OIDC Core §9): compact JWS signed with WebCrypto, no dependency.
import { InvalidOptionsError } from '../errors/errors.ts';
import { base64url, encodeJson } from './encoding.ts';
import { hmacSha256, sha256 } from './fingerprint.ts';

/** Signature algorithms for `private_key_jwt`; `client_secret_jwt` always signs HS256. */
export type AssertionAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
// Spelled out above for the API docs; its type keeps this list inside it.
export const ASSERTION_ALGORITHMS: readonly AssertionAlgorithm[] = [
  'RS256',
  'PS256',
  'ES256',
  'EdDSA',
];

/**
 * A private JSON Web Key (RFC 7517 §4, RFC 7518 §6): the members authwire reads. Typed here, not as
 * the DOM's `JsonWebKey`, so that a project without the DOM lib compiles; a DOM `JsonWebKey`, a
 * `jose` JWK and node's `KeyObject#export({ format: 'jwk' })` all fit.
 */
export interface PrivateJwk {
  readonly kty?: string;
  readonly crv?: string;
  readonly alg?: string;
  readonly kid?: string;
  readonly use?: string;
  readonly key_ops?: readonly string[];
  readonly ext?: boolean;
  readonly n?: string;
  readonly e?: string;
  readonly d?: string;
  readonly p?: string;
  readonly q?: string;
  readonly dp?: string;
  readonly dq?: string;
  readonly qi?: string;
  readonly x?: string;
  readonly y?: string;
}

/**
 * A WebCrypto `CryptoKey` (private, with the `sign` usage), typed by the members authwire reads so
 * that a project without the DOM lib compiles.
 */
export interface SigningCryptoKey {
  readonly type: string;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}

/** How WebCrypto imports and signs with each algorithm. */
const WEBCRYPTO = {
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
  // RFC 7518 §3.5: the salt is as long as the hash.
  PS256: [
    { name: 'RSA-PSS', hash: 'SHA-256' },
    { name: 'RSA-PSS', saltLength: 32 },
  ],
  // WebCrypto's ECDSA signature is r‖s (IEEE P1363), which is what JWS wants (RFC 7518 §3.4).
  ES256: [
    { name: 'ECDSA', namedCurve: 'P-256' },
    { name: 'ECDSA', hash: 'SHA-256' },
  ],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
} as const;

/** The JWK members WebCrypto needs to import a private key; `alg`, `use`, `key_ops` are dropped. */
const KEY_MEMBERS = ['kty', 'crv', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y'] as const;
/** The members that are private: scrubbed from anything read back, like a client secret. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

export const isCryptoKey = (value: unknown): value is CryptoKey =>
  typeof CryptoKey === 'function' && value instanceof CryptoKey;

const isRsa = (algorithm: AssertionAlgorithm): boolean =>
  algorithm === 'RS256' || algorithm === 'PS256';

/** The algorithm a private key signs with: its own `alg`, or the one its type implies. */
export function algorithmOf(
  key: JsonWebKey | CryptoKey,
  given?: AssertionAlgorithm,
): AssertionAlgorithm {
  const fail = (problem: string): never => {
    throw new InvalidOptionsError('privateKey', `privateKey ${problem}`);
  };
  const implied = isCryptoKey(key) ? impliedByCryptoKey(key, fail) : impliedByJwk(key, fail);
  const wanted = given ?? implied;
  // A JWK's RSA key signs RS256 and PS256 alike; a CryptoKey was imported for one of them.
  if (wanted !== implied && (isCryptoKey(key) || !isRsa(wanted) || !isRsa(implied))) {
    fail(`does not fit algorithm ${wanted}`);
  }
  return wanted;
}

function impliedByJwk(jwk: JsonWebKey, fail: (problem: string) => never): AssertionAlgorithm {
  if (typeof jwk !== 'object' || jwk === null) return fail('must be a private JWK or a CryptoKey');
  const { alg, kty, crv } = jwk;
  if (typeof jwk.d !== 'string') return fail('must be a private key (the JWK has no "d")');
  if (alg !== undefined) {
    // The server registered the key for its `alg`: signing with another would be refused.
    if ((ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) return alg as AssertionAlgorithm;
    // RFC 9864's fully-specified name, which WebCrypto's exportKey('jwk') writes for Ed25519 keys;
    // the assertion says EdDSA, the name every server knows.
    if (alg === 'Ed25519' && crv === 'Ed25519') return 'EdDSA';
    // An algorithm name is public; anything else is not echoed.
    const shown = /^[A-Za-z0-9-]{1,16}$/.test(alg) ? alg : 'another value';
    return fail(`has alg ${shown}, not one of ${ASSERTION_ALGORITHMS.join(', ')}`);
  }
  if (kty === 'RSA') return 'RS256';
  if (kty === 'EC' && crv === 'P-256') return 'ES256';
  if (kty === 'OKP' && crv === 'Ed25519') return 'EdDSA';
  return fail('must be an RSA, EC P-256 or Ed25519 key');
}

function impliedByCryptoKey(key: CryptoKey, fail: (problem: string) => never): AssertionAlgorithm {
  if (key.type !== 'private' || !key.usages.includes('sign')) {
    return fail('must be a private CryptoKey with the "sign" usage');
  }
  const { name, hash, namedCurve } = key.algorithm as Algorithm & {
    hash?: { name?: string };
    namedCurve?: string;
  };
  const sha256Hash = hash?.name === 'SHA-256';
  if (name === 'RSASSA-PKCS1-v1_5' && sha256Hash) return 'RS256';
  if (name === 'RSA-PSS' && sha256Hash) return 'PS256';
  if (name === 'ECDSA' && namedCurve === 'P-256') return 'ES256';
  if (name === 'Ed25519') return 'EdDSA';
  return fail('must be an RSASSA-PKCS1-v1_5/RSA-PSS SHA-256, ECDSA P-256 or Ed25519 key');
}

/**
 * RFC 7638 thumbprint of a JWK's public part: binds a cache key to the key pair without revealing
 * anything private (the public key is public).
 */
export function jwkThumbprint({ crv, e, kty, n, x, y }: JsonWebKey): string {
  const members =
    kty === 'RSA' ? { e, kty, n } : kty === 'EC' ? { crv, kty, x, y } : { crv, kty, x };
  return base64url(sha256(JSON.stringify(members)));
}

export interface AssertionClaims {
  readonly clientId: string;
  readonly audience: string;
  /** Epoch ms. */
  readonly now: number;
  readonly keyId?: string | undefined;
  /** `x5t#S256` in the header: the base64url SHA-256 of the certificate (Entra ID wants it). */
  readonly certificateThumbprint?: string | undefined;
}

/**
 * Signs `private_key_jwt` assertions with a private key, imported once, on first use, as
 * non-extractable; a JWK is copied first (a caller mutating it later changes nothing here).
 */
export function assertionSigner(
  key: JsonWebKey | CryptoKey,
  algorithm: AssertionAlgorithm,
): (claims: AssertionClaims) => Promise<string> {
  const [importAs, signAs] = WEBCRYPTO[algorithm];
  let imported = isCryptoKey(key) ? Promise.resolve(key) : undefined;
  const jwk = Object.fromEntries(
    KEY_MEMBERS.map((name) => [name, (key as JsonWebKey)[name]]).filter(
      ([, value]) => value !== undefined,
    ),
  );
  return async (claims) => {
    imported ??= crypto.subtle
      .importKey('jwk', jwk as JsonWebKey, importAs, false, ['sign'])
      .catch(() => {
        // WebCrypto's own message may describe the key; ours names the option only.
        throw new InvalidOptionsError(
          'privateKey',
          `privateKey could not be imported as a ${algorithm} signing key`,
        );
      });
    const input = assertionParts(claims, algorithm);
    const signature = await crypto.subtle.sign(
      signAs,
      await imported,
      new TextEncoder().encode(input),
    );
    return `${input}.${base64url(signature)}`;
  };
}

/** How long an assertion is valid: long enough for one round trip, short enough to be useless later. */
const ASSERTION_LIFETIME_S = 60;

/** `iss` = `sub` = client id, `aud`, a fresh random `jti`, `iat`, and `exp` a minute later. */
function assertionParts(claims: AssertionClaims, alg: string): string {
  const { clientId, keyId, certificateThumbprint } = claims;
  const iat = Math.floor(claims.now / 1000);
  const header = {
    alg,
    typ: 'JWT',
    ...(keyId ? { kid: keyId } : {}),
    ...(certificateThumbprint ? { 'x5t#S256': certificateThumbprint } : {}),
  };
  const payload = {
    iss: clientId,
    sub: clientId,
    aud: claims.audience,
    jti: base64url(crypto.getRandomValues(new Uint8Array(16))),
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
  };
  return `${encodeJson(header)}.${encodeJson(payload)}`;
}

/** A `client_secret_jwt` assertion: HS256 keyed by the client secret (RFC 7518 §3.2). */
export function secretAssertion(secret: string, claims: AssertionClaims): string {
  const input = assertionParts(claims, 'HS256');
  return `${input}.${base64url(hmacSha256(secret, input))}`;
}
