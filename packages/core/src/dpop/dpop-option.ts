// The `dpop` option: its type and check, and a provider bound to a DPoP key (the work is in dpop-provider.ts).

import type { Challenge, FetchContext, RequestTarget, Token, TokenProvider } from '../types.ts';
import { Dpop } from './dpop-provider.ts';

/**
 * A WebCrypto `CryptoKeyPair` of an ES256 (ECDSA P-256) key, typed by the members authwire reads
 * so that a project without the DOM lib compiles; a real `CryptoKeyPair` is one.
 *
 * @example
 * ```ts
 * const keyPair: DpopKeyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * ```
 */
export interface DpopKeyPair {
  readonly privateKey: { readonly type: string; readonly algorithm: { readonly name: string } };
  /** Extractable: every proof carries it as a JWK. */
  readonly publicKey: {
    readonly type: string;
    readonly algorithm: { readonly name: string };
    readonly extractable: boolean;
  };
}

/**
 * The `dpop` option of `createTokenManager`: `true` for a fresh non-extractable ES256 key pair
 * per manager, or the key pair to use (`false`: off, the default).
 *
 * @example
 * ```ts
 * const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * createTokenManager(provider, { origins, dpop: { keyPair } });
 * ```
 */
export type DpopOption =
  | boolean
  | {
      /** An ES256 (ECDSA P-256) `CryptoKeyPair`; a fleet that shares a token shares this pair. */
      readonly keyPair?: DpopKeyPair;
      /**
       * Accept a Bearer token from a server that ignores DPoP (it is then sent as Bearer, with no
       * proof). Default false: such a token is an `InvalidTokenResponseError`.
       */
      readonly allowBearer?: boolean;
    };

/** Whether `value` is a WebCrypto `CryptoKeyPair` of an ES256 (P-256 ECDSA) key. */
export function isEs256KeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | null;
  const isKey = (key: unknown, type: string): boolean => {
    const candidate = key as CryptoKey | undefined;
    const algorithm = candidate?.algorithm as EcKeyAlgorithm | undefined;
    return (
      candidate?.type === type && algorithm?.name === 'ECDSA' && algorithm.namedCurve === 'P-256'
    );
  };
  return (
    typeof pair === 'object' &&
    pair !== null &&
    isKey(pair.privateKey, 'private') &&
    isKey(pair.publicKey, 'public')
  );
}

/** One random id per public key object; a WeakMap, so a dropped key leaves nothing. */
const ids = /* @__PURE__ */ new WeakMap<CryptoKey, string>();

/** Names a key within this process before its thumbprint is known: one `CryptoKeyPair`, one entry. */
function idOf(keyPair: DpopKeyPair | undefined): string {
  if (!keyPair) return crypto.randomUUID();
  const publicKey = keyPair.publicKey as CryptoKey;
  let id = ids.get(publicKey);
  if (id === undefined) {
    id = crypto.randomUUID();
    ids.set(publicKey, id);
  }
  return id;
}

/** A DPoP-bound provider and what the manager needs to know of its key. */
export interface DpopBinding {
  readonly provider: TokenProvider;
  /** The shared store's key: the provider's, plus the key's RFC 7638 thumbprint. */
  readonly storeKey: Promise<string>;
  /** The key was made for this manager: its tokens are useless to anyone once it closes. */
  readonly ephemeral: boolean;
}

/**
 * `given`, DPoP-bound: proofs on its token requests and on every request to its origins, its
 * tokens under a cache key that names the key pair.
 */
export function bindDpop(
  given: TokenProvider,
  option: Exclude<DpopOption, false>,
  now: () => number,
): DpopBinding {
  const settings = option === true ? {} : option;
  const dpop = new Dpop(option, given.key, now);
  const tokenTypes = settings.allowBearer
    ? ['dpop', ...(given.tokenTypes ?? ['bearer'])]
    : ['dpop'];
  // The provider stays the prototype: its own and inherited members (a class's methods) still answer.
  const provider: TokenProvider = Object.assign(Object.create(given) as TokenProvider, {
    key: `${given.key}|dpop#${idOf(settings.keyPair)}`,
    tokenTypes,
    fetchToken: (context: FetchContext) => dpop.fetchToken(given, context),
    requestHeaders: (token: Token, target: RequestTarget) =>
      dpop.requestHeaders(given, token, target),
    challenged: (token: Token, challenge: Challenge) =>
      dpop.challenged(token, challenge) || given.challenged?.(token, challenge) === true,
    responded: (response: Challenge) => {
      dpop.remember(response);
      given.responded?.(response);
    },
  });
  return { provider, storeKey: dpop.storeKey, ephemeral: settings.keyPair === undefined };
}
