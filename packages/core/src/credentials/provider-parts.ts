// What every credential provider shares: what it sends besides its credential, its cache key,
// the Basic credential and the browser refusal.

import { MAX_LIFETIME_MS } from '../endpoint/token-response.ts';
import {
  invalidOption,
  isBoolean,
  isNumber,
  type OptionCheck,
  optional,
} from '../options/validate.ts';
import { cacheKey } from './fingerprint.ts';

/** Header names whose values are credentials (`Authorization`, `X-Api-Key`, `Ocp-Apim-Subscription-Key`, ...). */
const CREDENTIAL_HEADER = /auth|key|token|secret|passw|signature|cookie|credential/i;

/** The checks of the options every client-credentials provider has beside its credential. */
export const LIFETIME_AND_BROWSER_CHECKS: Readonly<Record<string, OptionCheck>> = {
  // A lifetime: more than 0, at most the 24 h every token is capped at.
  defaultLifetimeMs: /* @__PURE__ */ optional(
    /* @__PURE__ */ isNumber(0, MAX_LIFETIME_MS, { exclusiveMin: true }),
  ),
  allowBrowser: /* @__PURE__ */ optional(isBoolean),
};

/** What every credential provider sends besides its credential: scope, extra parameters, headers. */
export interface RequestParts {
  /** Space-delimited, single spaces. */
  readonly scope: string | undefined;
  /** Sorted by name, so that the cache key does not depend on their order. */
  readonly extra: readonly [string, string][];
  readonly headers: Readonly<Record<string, string>>;
  /** Values of the headers that carry a credential (an API gateway key, ...): scrubbed like the secret. */
  readonly headerSecrets: readonly string[];
}

export function requestParts(options: {
  readonly scope?: string | readonly string[] | undefined;
  readonly extraParams?: Readonly<Record<string, string>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}): RequestParts {
  const headers = options.headers ? { ...options.headers } : NO_HEADERS;
  return {
    scope:
      typeof options.scope === 'string'
        ? options.scope.trim().split(/ +/).filter(Boolean).join(' ')
        : options.scope?.join(' '),
    extra: options.extraParams
      ? Object.entries(options.extraParams).sort(([a], [b]) => (a < b ? -1 : 1))
      : NO_PARAMS,
    headers,
    headerSecrets: Object.entries(headers)
      .filter(([name]) => CREDENTIAL_HEADER.test(name))
      .map(([, value]) => value),
  };
}

/**
 * A cache key: the readable parts (no secret, no query string: it may carry one, no extra
 * parameters), then `binding` of the identity, which covers everything that makes a different
 * token: the full URL and the extras.
 */
export function boundKey(
  visible: readonly string[],
  url: URL,
  extra: readonly [string, string][],
  binding: (identity: string) => string,
): string {
  const identity = cacheKey([
    ...visible,
    url.href,
    new URLSearchParams(extra as [string, string][]).toString(),
  ]);
  return cacheKey([...visible, binding(identity)]);
}

/** RFC 6749 §2.3.1: each part form-urlencoded before base64. */
export function basicCredential(clientId: string, secret: string): string {
  const form = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return btoa(
    String.fromCharCode(...new TextEncoder().encode(`${form(clientId)}:${form(secret)}`)),
  );
}

/** A credential in a browser is readable by anyone: refused unless `allowBrowser`. */
export function refuseInBrowser(option: string, allowBrowser: boolean | undefined): void {
  const g = globalThis as { window?: { document?: unknown } };
  if (typeof g.window === 'object' && typeof g.window?.document === 'object' && !allowBrowser) {
    invalidOption(option, 'must not be used in a browser unless allowBrowser: true');
  }
}

const NO_PARAMS: readonly [string, string][] = Object.freeze([]);
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
