// How a client proves who it is at the token endpoint: a secret (Basic or form), a signed JWT (RFC 7523), or nothing (a public client).

import { invalidOption } from '../options/validate.ts';
import { localId } from './encoding.ts';
import { credentialFingerprint } from './fingerprint.ts';
import {
  type AssertionAlgorithm,
  type AssertionClaims,
  algorithmOf,
  assertionSigner,
  isCryptoKey,
  jwkThumbprint,
  PRIVATE_MEMBERS,
  type PrivateJwk,
  type SigningCryptoKey,
  secretAssertion,
} from './jws.ts';
import { basicCredential } from './provider-parts.ts';

/** RFC 7591 §2 names of the client authentication methods authwire speaks. */
export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'none';
// Spelled out above for the API docs (a type derived from this list shows as `(typeof …)[number]`);
// its type keeps this list inside it, and the grant tests send every method.
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
];

/** How the client authenticates: one of `clientSecret` or `privateKey` (neither: a public client). */
export interface ClientAuthOptions {
  readonly clientId: string;
  /** For `client_secret_basic`, `client_secret_post` and `client_secret_jwt` (HS256). */
  readonly clientSecret?: string;
  /**
   * For `private_key_jwt`: a private JWK (RSA, EC P-256, Ed25519) or a private `CryptoKey` with
   * the `sign` usage. It never leaves the process: only signatures and the RFC 7638 thumbprint of
   * its public part (in the cache key) do.
   */
  readonly privateKey?: PrivateJwk | SigningCryptoKey;
  /** `kid` in the assertion header, for servers that hold several keys of the client. */
  readonly keyId?: string;
  /**
   * `x5t#S256` in the assertion header: base64url of the SHA-256 of the DER certificate that
   * carries the key's public part. Entra ID identifies a certificate credential by it.
   */
  readonly certificateThumbprint?: string;
  /** The assertion's algorithm; default the JWK's `alg`, else RS256 (RSA), ES256, EdDSA. */
  readonly algorithm?: AssertionAlgorithm;
  /**
   * Default: `private_key_jwt` with a `privateKey`; with a `clientSecret`, the first of Basic, post,
   * JWT the discovered server lists, or `client_secret_post` when there is no discovery.
   */
  readonly authMethod?: ClientAuthMethod;
  /**
   * The assertion's `aud`: the token endpoint (default; OIDC Core §9) or the issuer identifier
   * (what RFC 7523bis recommends; needs `issuer`).
   */
  readonly assertionAudience?: 'token_endpoint' | 'issuer';
}

/** A resolved client authentication: binds cache keys, lists its secrets, and signs requests. */
export class ClientAuth {
  readonly clientId: string;
  /** What the cache key shows of the method: the one chosen, or `auto` until discovery decides. */
  readonly shownMethod: string;
  /** Values never to appear in an error: the secret, the private JWK's private members. */
  readonly secrets: readonly string[];
  /** The cache-key part that binds the credential: HMAC under the secret, or the key's thumbprint. */
  readonly binding: (identity: string) => string;
  readonly #options: ClientAuthOptions;
  readonly #signer: ((claims: AssertionClaims) => Promise<string>) | undefined;

  constructor(options: ClientAuthOptions) {
    const { clientId, clientSecret, privateKey, authMethod } = options;
    if (clientSecret !== undefined && privateKey !== undefined) {
      invalidOption('privateKey', 'and clientSecret cannot both be given: choose one credential');
    }
    // The methods a credential fits: private_key_jwt for a key, client_secret_* for a secret.
    const fits = privateKey
      ? 'private_key_jwt'
      : clientSecret !== undefined
        ? 'client_secret'
        : 'none';
    if (authMethod !== undefined && !authMethod.startsWith(fits)) {
      invalidOption('authMethod', `'${authMethod}' does not fit the credential given`);
    }
    this.clientId = clientId;
    this.#options = options;
    this.shownMethod = authMethod ?? (fits === 'client_secret' ? 'auto' : fits);
    this.binding = () => 'public';
    this.secrets = [];
    if (privateKey !== undefined) {
      // The public types are structural; WebCrypto's own are what the signer hands on.
      const key = privateKey as JsonWebKey | CryptoKey;
      this.#signer = assertionSigner(key, algorithmOf(key, options.algorithm));
      const thumbprint = keyBinding(key, options.keyId, options.certificateThumbprint);
      this.binding = () => thumbprint;
      const jwk = privateKey as Record<string, unknown>;
      this.secrets = PRIVATE_MEMBERS.map((name) => jwk[name]).filter(
        (value): value is string => typeof value === 'string',
      );
    } else if (clientSecret !== undefined) {
      this.binding = (identity) => credentialFingerprint(clientSecret, identity);
      this.secrets = [clientSecret, basicCredential(clientId, clientSecret)];
    }
  }

  /** The method to use, given what the server lists (undefined: no metadata, or none listed). */
  method(
    supported: readonly string[] | undefined,
    discovered: boolean,
  ): ClientAuthMethod | undefined {
    const { authMethod, clientSecret } = this.#options;
    if (authMethod) return authMethod;
    if (this.#signer) return 'private_key_jwt';
    if (clientSecret === undefined) return 'none';
    if (!discovered) return 'client_secret_post';
    // RFC 8414 §2: a server that lists nothing supports client_secret_basic. With no choice made:
    // Basic (every server has it), form post, then HS256 JWT.
    const listed = supported ?? ['client_secret_basic'];
    return (['client_secret_basic', 'client_secret_post', 'client_secret_jwt'] as const).find(
      (method) => listed.includes(method),
    );
  }

  /** Adds the credential to a token request; `target` is where an assertion is sent, and when. */
  async apply(
    method: ClientAuthMethod,
    body: URLSearchParams,
    headers: Record<string, string>,
    target: {
      readonly tokenEndpoint: string;
      readonly issuer: string | undefined;
      readonly now: number;
    },
  ): Promise<void> {
    const { clientId, clientSecret = '', keyId, certificateThumbprint } = this.#options;
    if (method === 'client_secret_basic') {
      headers.Authorization = `Basic ${basicCredential(clientId, clientSecret)}`;
      return;
    }
    body.set('client_id', clientId);
    if (method === 'client_secret_post') body.set('client_secret', clientSecret);
    if (!method.endsWith('_jwt')) return;
    const { issuer, tokenEndpoint, now } = target;
    const audience =
      this.#options.assertionAudience === 'issuer' && issuer ? issuer : tokenEndpoint;
    const claims = { clientId, audience, now, keyId, certificateThumbprint };
    const signer = this.#signer;
    const assertion = signer ? await signer(claims) : secretAssertion(clientSecret, claims);
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', assertion);
  }
}

/**
 * A JWK is bound by its RFC 7638 thumbprint. A CryptoKey by its `kid` or certificate thumbprint
 * (say which key it is, and processes on a shared store share its tokens), else by a name unique
 * to this process.
 */
function keyBinding(
  key: JsonWebKey | CryptoKey,
  keyId: string | undefined,
  certificateThumbprint: string | undefined,
): string {
  if (!isCryptoKey(key)) return `jkt:${jwkThumbprint(key)}`;
  if (keyId) return `kid:${keyId}`;
  return certificateThumbprint ? `x5t:${certificateThumbprint}` : `local:${localId(key)}`;
}
