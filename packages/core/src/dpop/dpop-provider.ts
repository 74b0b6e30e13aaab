// DPoP's work (RFC 9449): a provider bound to a key, proofs on token requests and API requests, nonces, Bearer refused.

import { base64url, encodeJson, localId } from '../credentials/encoding.ts';
import { InvalidTokenResponseError, TokenEndpointError } from '../errors/errors.ts';
import type { DpopBinding } from '../manager/manager-types.ts';
import { DPOP_NONCES_KEPT } from '../options/settings.ts';
import { endpointLabel, originOf } from '../request/origins.ts';
import type {
  Challenge,
  FetchContext,
  RequestTarget,
  Token,
  TokenProvider,
  TokenRequest,
} from '../types.ts';

/** The header a proof travels in, and the one a server's nonce arrives in (RFC 9449 §4.1, §8). */
const DPOP = 'DPoP';
const DPOP_NONCE = 'DPoP-Nonce';
/** A nonce is an opaque printable string (RFC 9449 §8.1: NQCHAR, 1 or more). */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;
/** ES256 only: every DPoP server supports it (RFC 9449 §11). */
const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const encoder = /* @__PURE__ */ new TextEncoder();

/** base64url(SHA-256(text)): a token's `ath`, a public key's thumbprint. */
async function sha256(text: string): Promise<string> {
  return base64url(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** A resource server's 401 asking for a nonce: `WWW-Authenticate: DPoP error="use_dpop_nonce"`. */
function asksForNonce(challenge: Challenge): boolean {
  const header = challenge.headers('www-authenticate') ?? '';
  return /(^|,)\s*dpop\s/i.test(header) && /error\s*=\s*"?use_dpop_nonce"?/i.test(header);
}

const isDpopBound = (token: Token): boolean => token.tokenType.toLowerCase() === 'dpop';

/**
 * `given`, DPoP-bound: proofs on its token requests and on every request to its origins, its
 * tokens under a cache key that names the key pair. `keyPair` was checked by `dpop()`. The key (a
 * fresh non-extractable P-256 pair, or the caller's) lives in this closure: nothing prints it.
 */
export function bindDpop(
  given: TokenProvider,
  keyPair: CryptoKeyPair | undefined,
  allowBearer: boolean,
  now: () => number,
): DpopBinding {
  const ready = (async () => {
    const pair = keyPair ?? (await crypto.subtle.generateKey(ES256, false, ['sign', 'verify']));
    // WebCrypto makes a generated public key extractable; a user's was checked with the options.
    const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
    const jwk = { crv, kty, x, y };
    // The proof header, encoded once.
    const header = encodeJson({ alg: 'ES256', typ: 'dpop+jwt', jwk });
    return { privateKey: pair.privateKey, header, thumbprint: await sha256(JSON.stringify(jwk)) };
  })();
  // The key of a shared store: the thumbprint, so a fleet with one key pair shares one token.
  const storeKey = ready.then(({ thumbprint }) => `${given.key}|dpop:${thumbprint}`);
  // A key that cannot be read fails the token request; never an unhandled rejection.
  storeKey.catch(() => {});
  /** Latest nonce per origin, bounded: an origin not seen for a while falls out first. */
  const nonces = new Map<string, string>();
  /** The `ath` of the token in service, hashed once per token (bench row 1c: a hash per request otherwise). */
  let ath: { readonly accessToken: string; readonly ath: Promise<string> } | undefined;

  /** Remembers `nonce` for `url`'s origin, the latest last; ignores a missing or malformed one. */
  const setNonce = (url: string | URL, nonce: string | undefined): boolean => {
    const origin = originOf(url);
    if (origin === undefined || nonce === undefined || !NONCE.test(nonce)) return false;
    nonces.delete(origin);
    nonces.set(origin, nonce);
    if (nonces.size > DPOP_NONCES_KEPT) nonces.delete(nonces.keys().next().value as string);
    return true;
  };
  /** Remembers a response's `DPoP-Nonce` for its origin; returns whether there was one. */
  const remember = (response: Challenge): boolean =>
    response.url !== undefined && setNonce(response.url, response.headers(DPOP_NONCE));

  /**
   * A new signed proof for `htm` `htu` (RFC 9449 §4.2), with the origin's latest nonce and the
   * manager's clock: a fresh `jti` and `iat` every call, so no proof is ever sent twice.
   */
  const proof = async (htm: string, htu: string, hash?: string): Promise<string> => {
    const origin = originOf(htu);
    const nonce = origin === undefined ? undefined : nonces.get(origin);
    const iat = Math.floor(now() / 1000);
    const { privateKey, header } = await ready;
    const url = new URL(htu);
    const input = `${header}.${encodeJson({
      jti: crypto.randomUUID(),
      htm: htm.toUpperCase(),
      // The URL without query and fragment.
      htu: `${url.origin}${url.pathname}`,
      iat,
      ...(nonce === undefined ? {} : { nonce }),
      ...(hash === undefined ? {} : { ath: hash }),
    })}`;
    const signature = await crypto.subtle.sign(SIGN, privateKey, encoder.encode(input));
    return `${input}.${base64url(signature)}`;
  };

  /** `request` with a proof for its method and URL, reading back the nonce its answer brings. */
  const withProofOf = async (request: TokenRequest): Promise<TokenRequest> => ({
    ...request,
    headers: { ...request.headers, [DPOP]: await proof(request.method ?? 'POST', request.url) },
    readHeaders: (headers) => {
      setNonce(request.url, headers.get(DPOP_NONCE) ?? undefined);
      request.readHeaders?.(headers);
    },
  });

  /** A token request with a proof; a Bearer answer is refused unless `allowBearer`. */
  const tokenRequest = async (context: FetchContext, request: TokenRequest): Promise<Token> => {
    const token = await context.request({
      ...(await withProofOf(request)),
      tokenTypes: ['dpop', 'bearer'],
    });
    if (isDpopBound(token) || allowBearer) return token;
    throw new InvalidTokenResponseError(
      endpointLabel(request.url),
      undefined,
      `token_type is ${token.tokenType}, not DPoP: the server did not bind the token to the key (accept it with dpop({ allowBearer: true }))`,
    );
  };

  // The provider stays the prototype: its own and inherited members (a class's methods) still answer.
  const provider: TokenProvider = Object.assign(Object.create(given) as TokenProvider, {
    // The key pair named within this process before its thumbprint is known.
    key: `${given.key}|dpop#${keyPair ? localId(keyPair.publicKey) : crypto.randomUUID()}`,
    tokenTypes: allowBearer ? ['dpop', ...(given.tokenTypes ?? ['bearer'])] : ['dpop'],
    /** One fetch; a `use_dpop_nonce` answer is retried once, the provider building a new request. */
    fetchToken: async (context: FetchContext): Promise<Token> => {
      const proved: FetchContext = {
        ...context,
        request: (request) => tokenRequest(context, request),
        send: async (request) => context.send(await withProofOf(request)),
      };
      try {
        return await given.fetchToken(proved);
      } catch (error) {
        // The token endpoint's 400 asking for a nonce (RFC 9449 §8).
        if (!(error instanceof TokenEndpointError && error.error === 'use_dpop_nonce')) throw error;
        return given.fetchToken(proved);
      }
    },
    requestHeaders: async (token: Token, target: RequestTarget) => {
      const own = await given.requestHeaders?.(token, target);
      // A Bearer token the user accepted travels without a proof.
      if (!isDpopBound(token)) return own ?? {};
      const { accessToken } = token;
      if (ath?.accessToken !== accessToken) ath = { accessToken, ath: sha256(accessToken) };
      return { ...own, [DPOP]: await proof(target.method, target.url, await ath.ath) };
    },
    // A 401 asking for a nonce heals with the same token and a new proof carrying it.
    challenged: (token: Token, challenge: Challenge) =>
      (remember(challenge) && isDpopBound(token) && asksForNonce(challenge)) ||
      given.challenged?.(token, challenge) === true,
    responded: (response: Challenge) => {
      remember(response);
      given.responded?.(response);
    },
  });
  return { provider, storeKey, ephemeral: keyPair === undefined };
}
