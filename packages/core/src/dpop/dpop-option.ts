// `dpop()`, the value of the manager's `dpop` option: its settings' check, and a provider bound to a
// DPoP key (the work is in dpop-provider.ts). The manager imports none of this folder.

import type { DpopBinding, DpopOption } from '../manager/manager-types.ts';
import {
  checkOptions,
  invalidOption,
  isBoolean,
  type OptionCheck,
  optional,
} from '../options/validate.ts';
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
 * The settings of `dpop()`.
 *
 * @example
 * ```ts
 * const settings: DpopSettings = { keyPair, allowBearer: false };
 * createTokenManager(provider, { origins, dpop: dpop(settings) });
 * ```
 */
export interface DpopSettings {
  /**
   * An ES256 (ECDSA P-256) `CryptoKeyPair` with an extractable public key; a fleet that shares a
   * token shares this pair. Default: a fresh non-extractable pair per manager.
   */
  readonly keyPair?: DpopKeyPair | undefined;
  /**
   * Accept a Bearer token from a server that ignores DPoP (it is then sent as Bearer, with no
   * proof). Default false: such a token is an `InvalidTokenResponseError`.
   */
  readonly allowBearer?: boolean | undefined;
}

/** Whether `value` is a WebCrypto `CryptoKeyPair` of an ES256 (P-256 ECDSA) key. */
function isEs256KeyPair(value: unknown): value is CryptoKeyPair {
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

/** The settings' checks; a message names the option as `dpop.keyPair`, `dpop.allowBearer`. */
const SETTINGS_CHECKS: Readonly<Record<string, OptionCheck>> = /* @__PURE__ */ Object.freeze({
  keyPair: optional((value) => isDpopKeyPair(value, 'dpop.keyPair')),
  allowBearer: optional((value) => isBoolean(value, 'dpop.allowBearer')),
});

/** An ES256 CryptoKeyPair whose public key can be exported (each proof carries it as a JWK). */
function isDpopKeyPair(keyPair: unknown, name: string): void {
  if (!isEs256KeyPair(keyPair)) {
    invalidOption(name, 'must be a CryptoKeyPair of an ES256 (ECDSA P-256) key');
  }
  // An ECDSA private key can only ever sign: the public key must be readable.
  if (!keyPair.publicKey.extractable) {
    invalidOption(name, 'publicKey must be extractable (proofs carry it as a JWK)');
  }
}

/**
 * DPoP (RFC 9449) for `createTokenManager`'s `dpop` option: sender-constrained tokens. Without a
 * key pair, each manager it is given to makes a fresh non-extractable ES256 pair; `{ keyPair }`
 * uses yours (a fleet sharing a token shares the pair). Token requests and every request to the
 * manager's origins then carry a proof; server nonces are used and a `use_dpop_nonce` challenge is
 * healed by one retry without a new token. DPoP lives on this subpath so that an application that
 * does not import it bundles none of it. Throws an `InvalidOptionsError` for a wrong setting.
 *
 * @example
 * ```ts
 * import { dpop } from '@authwire/core/dpop';
 *
 * const auth = createTokenManager(provider, { origins: ['https://api.example.com'], dpop: dpop() });
 * const shared = createTokenManager(provider, { origins, dpop: dpop({ keyPair }) });
 * ```
 */
export function dpop(settings: DpopSettings = {}): DpopOption {
  checkOptions(settings, SETTINGS_CHECKS, 'dpop()');
  const { keyPair, allowBearer = false } = settings;
  // The settings are read once: a later change to the caller's object changes nothing.
  return Object.freeze({
    bindProvider: (given: TokenProvider, now: () => number) =>
      bindDpop(given, keyPair, allowBearer, now),
  });
}

/**
 * `given`, DPoP-bound: proofs on its token requests and on every request to its origins, its
 * tokens under a cache key that names the key pair.
 */
function bindDpop(
  given: TokenProvider,
  keyPair: DpopKeyPair | undefined,
  allowBearer: boolean,
  now: () => number,
): DpopBinding {
  const dpop = new Dpop(keyPair as CryptoKeyPair | undefined, allowBearer, given.key, now);
  const tokenTypes = allowBearer ? ['dpop', ...(given.tokenTypes ?? ['bearer'])] : ['dpop'];
  // The provider stays the prototype: its own and inherited members (a class's methods) still answer.
  const provider: TokenProvider = Object.assign(Object.create(given) as TokenProvider, {
    key: `${given.key}|dpop#${idOf(keyPair)}`,
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
  return { provider, storeKey: dpop.storeKey, ephemeral: keyPair === undefined };
}
