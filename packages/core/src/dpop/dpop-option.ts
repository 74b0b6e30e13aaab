// `dpop()`, the value of the manager's `dpop` option: its settings' check, and a provider bound to a
// DPoP key (the work is in dpop-provider.ts). The manager imports none of this folder.

import type { DpopOption } from '../manager/manager-types.ts';
import {
  checkOptions,
  invalidOption,
  isBoolean,
  type OptionCheck,
  optional,
} from '../options/validate.ts';
import type { TokenProvider } from '../types.ts';
import { bindDpop } from './dpop-provider.ts';

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

/** The settings' checks; a message names the option as `dpop.keyPair`, `dpop.allowBearer`. */
const SETTINGS_CHECKS: Readonly<Record<string, OptionCheck>> = /* @__PURE__ */ Object.freeze({
  keyPair: optional((value) => isDpopKeyPair(value, 'dpop.keyPair')),
  allowBearer: optional((value) => isBoolean(value, 'dpop.allowBearer')),
});

/** An ES256 (ECDSA P-256) CryptoKeyPair whose public key can be exported (each proof carries it as a JWK). */
function isDpopKeyPair(keyPair: unknown, name: string): void {
  const { privateKey, publicKey } = (keyPair ?? {}) as Partial<CryptoKeyPair>;
  const isKey = (key: CryptoKey | undefined, type: string): boolean => {
    const algorithm = key?.algorithm as EcKeyAlgorithm | undefined;
    return key?.type === type && algorithm?.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
  };
  if (!isKey(privateKey, 'private') || !isKey(publicKey, 'public')) {
    invalidOption(name, 'must be a CryptoKeyPair of an ES256 (ECDSA P-256) key');
  }
  // An ECDSA private key can only ever sign: the public key must be readable.
  if (!publicKey?.extractable) {
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
      bindDpop(given, keyPair as CryptoKeyPair | undefined, allowBearer, now),
  });
}
