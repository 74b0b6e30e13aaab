// DPoP's work (RFC 9449), loaded on a DPoP manager's first use: proofs on token requests and API requests, nonces, Bearer refused.

import { InvalidTokenResponseError, TokenEndpointError } from '../errors/errors.ts';
import { endpointLabel } from '../request/origins.ts';
import type {
  Challenge,
  FetchContext,
  RequestTarget,
  Token,
  TokenProvider,
  TokenRequest,
} from '../types.ts';
import { DpopKey, sha256 } from './dpop-key.ts';
import { Nonces } from './nonces.ts';

/** The header a proof travels in, and the one a server's nonce arrives in (RFC 9449 §4.1, §8). */
const DPOP = 'DPoP';
const DPOP_NONCE = 'DPoP-Nonce';
/** The error that asks for a (new) nonce, from a token endpoint or a resource server. */
const USE_DPOP_NONCE = 'use_dpop_nonce';

/** A resource server's 401 asking for a nonce: `WWW-Authenticate: DPoP error="use_dpop_nonce"`. */
export function asksForNonce(challenge: Challenge): boolean {
  const header = challenge.headers('www-authenticate');
  return (
    header !== undefined &&
    /(^|,)\s*dpop\s/i.test(header) &&
    /error\s*=\s*"?use_dpop_nonce"?/i.test(header)
  );
}

/** The token endpoint's 400 asking for a nonce (RFC 9449 §8). */
const isNonceError = (error: unknown): boolean =>
  error instanceof TokenEndpointError && error.error === USE_DPOP_NONCE;

const isDpopBound = (token: Token): boolean => token.tokenType.toLowerCase() === 'dpop';

/**
 * The DPoP state of one manager: its key and the nonces servers handed out.
 */
export class Dpop {
  readonly key: DpopKey;
  readonly allowBearer: boolean;
  /** The key of a shared store: the thumbprint, so a fleet with one key pair shares one token. */
  readonly storeKey: Promise<string>;
  readonly #nonces = new Nonces();
  readonly #now: () => number;
  /** The `ath` of the token in service, hashed once per token (bench row 1c: a hash per request otherwise). */
  #ath: { readonly accessToken: string; readonly ath: Promise<string> } | undefined;

  constructor(
    keyPair: CryptoKeyPair | undefined,
    allowBearer: boolean,
    providerKey: string,
    now: () => number,
  ) {
    // Checked by dpop() (isDpopKeyPair): a WebCrypto key pair.
    this.key = new DpopKey(keyPair);
    this.allowBearer = allowBearer;
    this.#now = now;
    this.storeKey = this.key.thumbprint().then((jkt) => `${providerKey}|dpop:${jkt}`);
    // A key that cannot be read fails the token request; never an unhandled rejection.
    this.storeKey.catch(() => {});
  }

  /** One fetch; a `use_dpop_nonce` answer is retried once, the provider building a new request. */
  async fetchToken(provider: TokenProvider, context: FetchContext): Promise<Token> {
    const proved: FetchContext = {
      ...context,
      request: (request) => this.#tokenRequest(context, request),
      send: async (request) => context.send(await this.#withProofOf(request)),
    };
    try {
      return await provider.fetchToken(proved);
    } catch (error) {
      if (!isNonceError(error)) throw error;
      return provider.fetchToken(proved);
    }
  }

  async #tokenRequest(context: FetchContext, request: TokenRequest): Promise<Token> {
    const token = await context.request({
      ...(await this.#withProofOf(request)),
      tokenTypes: ['dpop', 'bearer'],
    });
    if (isDpopBound(token) || this.allowBearer) return token;
    throw new InvalidTokenResponseError(
      endpointLabel(request.url),
      undefined,
      `token_type is ${token.tokenType}, not DPoP: the server did not bind the token to the key (accept it with dpop({ allowBearer: true }))`,
    );
  }

  /** `request` with a proof for its method and URL, reading back the nonce its answer brings. */
  async #withProofOf(request: TokenRequest): Promise<TokenRequest> {
    const method = request.method ?? 'POST';
    const proof = await this.key.proof(
      { htm: method, htu: request.url, nonce: this.#nonces.get(request.url) },
      this.#now(),
    );
    const own = request.readHeaders;
    return {
      ...request,
      headers: { ...request.headers, [DPOP]: proof },
      readHeaders: (headers) => {
        this.#nonces.set(request.url, headers.get(DPOP_NONCE) ?? undefined);
        own?.(headers);
      },
    };
  }

  async requestHeaders(
    provider: TokenProvider,
    token: Token,
    target: RequestTarget,
  ): Promise<Readonly<Record<string, string>>> {
    const own = await provider.requestHeaders?.(token, target);
    // A Bearer token the user accepted travels without a proof.
    if (!isDpopBound(token)) return own ?? {};
    const proof = await this.key.proof(
      {
        htm: target.method,
        htu: target.url,
        nonce: this.#nonces.get(target.url),
        ath: await this.#athOf(token.accessToken),
      },
      this.#now(),
    );
    return own ? { ...own, [DPOP]: proof } : { [DPOP]: proof };
  }

  #athOf(accessToken: string): Promise<string> {
    if (this.#ath?.accessToken !== accessToken)
      this.#ath = { accessToken, ath: sha256(accessToken) };
    return this.#ath.ath;
  }

  /** A 401 asking for a nonce heals with the same token and a new proof carrying it. */
  challenged(token: Token, challenge: Challenge): boolean {
    const fresh = this.remember(challenge);
    return fresh && isDpopBound(token) && asksForNonce(challenge);
  }

  /** Remembers a response's `DPoP-Nonce` for its origin; returns whether there was one. */
  remember(response: Challenge): boolean {
    if (response.url === undefined) return false;
    return this.#nonces.set(response.url, response.headers(DPOP_NONCE));
  }

  toJSON(): string {
    return '[Dpop]';
  }
}
