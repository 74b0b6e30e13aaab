// The DPoP key pair (RFC 9449 §4): signs proofs with WebCrypto, holds the private key where nothing prints it.
import { base64url, encodeJson } from '../credentials/encoding.ts';

/** What one proof is made of (RFC 9449 §4.2). */
export interface ProofClaims {
  /** The request's method. */
  readonly htm: string;
  /** The request's URL; its query and fragment are dropped here. */
  readonly htu: string | URL;
  /** The server's latest nonce for that origin. */
  readonly nonce?: string | undefined;
  /** The hash of the token the request carries: base64url(SHA-256(token)) (`athOf`). */
  readonly ath?: string | undefined;
}

/** The key as the manager holds it: ES256 only (every DPoP server supports it; RFC 9449 §11). */
interface Ready {
  readonly privateKey: CryptoKey;
  /** `{"alg":"ES256","jwk":...,"typ":"dpop+jwt"}` encoded once. */
  readonly header: string;
  /** RFC 7638 thumbprint of the public key (the token's `cnf.jkt`). */
  readonly thumbprint: string;
}

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const encoder = /* @__PURE__ */ new TextEncoder();

/** base64url(SHA-256(text)): a token's `ath`, a public key's thumbprint. */
export async function sha256(text: string): Promise<string> {
  return base64url(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * One DPoP key: a fresh non-extractable P-256 key pair, or the caller's own. Nothing of it is
 * enumerable or printable: `inspect`, `JSON.stringify` and errors show only that it is a key.
 */
export class DpopKey {
  readonly #ready: Promise<Ready>;
  /** `keyPair` was checked by `dpop()` (`isDpopKeyPair`). */
  constructor(keyPair?: CryptoKeyPair) {
    this.#ready = prepare(keyPair);
    // A failure surfaces on the first proof; never as an unhandled rejection.
    this.#ready.catch(() => {});
  }

  /** RFC 7638 thumbprint of the public key: what a DPoP-bound token's `cnf.jkt` holds. */
  async thumbprint(): Promise<string> {
    return (await this.#ready).thumbprint;
  }

  /** A new signed proof: a fresh `jti` and `iat` every call, so no proof is ever sent twice. */
  async proof(claims: ProofClaims, nowMs: number): Promise<string> {
    const { privateKey, header } = await this.#ready;
    const htu = new URL(String(claims.htu));
    const payload: Record<string, unknown> = {
      jti: crypto.randomUUID(),
      htm: claims.htm.toUpperCase(),
      // RFC 9449 §4.2: the URL without query and fragment.
      htu: `${htu.origin}${htu.pathname}`,
      iat: Math.floor(nowMs / 1000),
    };
    if (claims.nonce !== undefined) payload.nonce = claims.nonce;
    if (claims.ath !== undefined) payload.ath = claims.ath;
    const input = `${header}.${encodeJson(payload)}`;
    const signature = await crypto.subtle.sign(SIGN, privateKey, encoder.encode(input));
    return `${input}.${base64url(signature)}`;
  }

  /** Nothing of the key in JSON (its fields are `#private`, so `inspect` shows none either). */
  toJSON(): string {
    return '[DpopKey]';
  }
}

async function prepare(given: CryptoKeyPair | undefined): Promise<Ready> {
  const pair = given ?? (await crypto.subtle.generateKey(ES256, false, ['sign', 'verify']));
  // WebCrypto always makes a generated public key extractable; a user's was checked with the options.
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const { crv, kty, x, y } = jwk;
  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  const publicJwk = { crv, kty, x, y };
  const thumbprint = await sha256(JSON.stringify(publicJwk));
  const header = encodeJson({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk });
  return { privateKey: pair.privateKey, header, thumbprint };
}
