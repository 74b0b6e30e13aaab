// DPoP's work (RFC 9449): a provider bound to a key, proofs on token requests and API requests, nonces, Bearer refused.

import { localId } from '../credentials/encoding.ts';
import { InvalidTokenResponseError, TokenEndpointError } from '../errors/errors.ts';
import type { DpopBinding } from '../manager/manager-types.ts';
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

/** A resource server's 401 asking for a nonce: `WWW-Authenticate: DPoP error="use_dpop_nonce"`. */
function asksForNonce(challenge: Challenge): boolean {
  const header = challenge.headers('www-authenticate');
  return (
    header !== undefined &&
    /(^|,)\s*dpop\s/i.test(header) &&
    /error\s*=\s*"?use_dpop_nonce"?/i.test(header)
  );
}

/** The token endpoint's 400 asking for a nonce (RFC 9449 §8). */
const isNonceError = (error: unknown): boolean =>
  error instanceof TokenEndpointError && error.error === 'use_dpop_nonce';

const isDpopBound = (token: Token): boolean => token.tokenType.toLowerCase() === 'dpop';

/**
 * `given`, DPoP-bound: proofs on its token requests and on every request to its origins, its
 * tokens under a cache key that names the key pair. `keyPair` was checked by `dpop()`.
 */
export function bindDpop(
  given: TokenProvider,
  keyPair: CryptoKeyPair | undefined,
  allowBearer: boolean,
  now: () => number,
): DpopBinding {
  const dpop = new Dpop(given, keyPair, allowBearer, now);
  // The provider stays the prototype: its own and inherited members (a class's methods) still answer.
  const provider: TokenProvider = Object.assign(Object.create(given) as TokenProvider, {
    // The key pair named within this process before its thumbprint is known.
    key: `${given.key}|dpop#${keyPair ? localId(keyPair.publicKey) : crypto.randomUUID()}`,
    tokenTypes: allowBearer ? ['dpop', ...(given.tokenTypes ?? ['bearer'])] : ['dpop'],
    fetchToken: (context: FetchContext) => dpop.fetchToken(context),
    requestHeaders: (token: Token, target: RequestTarget) => dpop.requestHeaders(token, target),
    challenged: (token: Token, challenge: Challenge) =>
      dpop.challenged(token, challenge) || given.challenged?.(token, challenge) === true,
    responded: (response: Challenge) => {
      dpop.remember(response);
      given.responded?.(response);
    },
  });
  return { provider, storeKey: dpop.storeKey, ephemeral: keyPair === undefined };
}

/** The DPoP state of one manager: the provider, its key and the nonces servers handed out. */
class Dpop {
  /** The key of a shared store: the thumbprint, so a fleet with one key pair shares one token. */
  readonly storeKey: Promise<string>;
  readonly #given: TokenProvider;
  readonly #key: DpopKey;
  readonly #allowBearer: boolean;
  readonly #nonces = new Nonces();
  readonly #now: () => number;
  /** The `ath` of the token in service, hashed once per token (bench row 1c: a hash per request otherwise). */
  #ath: { readonly accessToken: string; readonly ath: Promise<string> } | undefined;

  constructor(
    given: TokenProvider,
    keyPair: CryptoKeyPair | undefined,
    allowBearer: boolean,
    now: () => number,
  ) {
    this.#given = given;
    this.#key = new DpopKey(keyPair);
    this.#allowBearer = allowBearer;
    this.#now = now;
    this.storeKey = this.#key.thumbprint().then((jkt) => `${given.key}|dpop:${jkt}`);
    // A key that cannot be read fails the token request; never an unhandled rejection.
    this.storeKey.catch(() => {});
  }

  /** One fetch; a `use_dpop_nonce` answer is retried once, the provider building a new request. */
  async fetchToken(context: FetchContext): Promise<Token> {
    const proved: FetchContext = {
      ...context,
      request: (request) => this.#tokenRequest(context, request),
      send: async (request) => context.send(await this.#withProofOf(request)),
    };
    try {
      return await this.#given.fetchToken(proved);
    } catch (error) {
      if (!isNonceError(error)) throw error;
      return this.#given.fetchToken(proved);
    }
  }

  async #tokenRequest(context: FetchContext, request: TokenRequest): Promise<Token> {
    const token = await context.request({
      ...(await this.#withProofOf(request)),
      tokenTypes: ['dpop', 'bearer'],
    });
    if (isDpopBound(token) || this.#allowBearer) return token;
    throw new InvalidTokenResponseError(
      endpointLabel(request.url),
      undefined,
      `token_type is ${token.tokenType}, not DPoP: the server did not bind the token to the key (accept it with dpop({ allowBearer: true }))`,
    );
  }

  /** `request` with a proof for its method and URL, reading back the nonce its answer brings. */
  async #withProofOf(request: TokenRequest): Promise<TokenRequest> {
    const proof = await this.#proof(request.method ?? 'POST', request.url);
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
    token: Token,
    target: RequestTarget,
  ): Promise<Readonly<Record<string, string>>> {
    const own = await this.#given.requestHeaders?.(token, target);
    // A Bearer token the user accepted travels without a proof.
    if (!isDpopBound(token)) return own ?? {};
    const proof = await this.#proof(
      target.method,
      target.url,
      await this.#athOf(token.accessToken),
    );
    return own ? { ...own, [DPOP]: proof } : { [DPOP]: proof };
  }

  /** A proof for `htm` `htu`, with the origin's latest nonce and the manager's clock. */
  #proof(htm: string, htu: string, ath?: string): Promise<string> {
    return this.#key.proof({ htm, htu, nonce: this.#nonces.get(htu), ath }, this.#now());
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
}
