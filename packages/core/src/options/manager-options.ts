// The checks on every TokenManagerOptions field: type, range, and no unknown names.

import { secureUrl } from '../request/origins.ts';
import type { RateLimit, TokenProvider } from '../types.ts';
import { MAX_TIMER_MS } from './settings.ts';
import {
  checkOptions,
  describeValue,
  HEADER_NAME,
  invalidOption,
  isBoolean,
  isFunction,
  isNonEmptyString,
  isNumber,
  isRecord,
  isString,
  must,
  type OptionCheck,
  optional,
} from './validate.ts';

/** An object (not null, not an array) whose `required` members are functions and `optional` ones functions when present. */
function objectWithMethods(
  what: string,
  required: readonly string[],
  optionalMethods: readonly string[] = [],
): OptionCheck {
  return (value, name) => {
    must(what, isRecord)(value, name);
    const object = value as Record<string, unknown>;
    for (const method of required) {
      if (typeof object[method] !== 'function') {
        invalidOption(name, `must be ${what}: ${method} is ${describeValue(object[method])}`);
      }
    }
    for (const method of optionalMethods) {
      if (object[method] !== undefined && typeof object[method] !== 'function') {
        invalidOption(name, `.${method} must be a function when present`);
      }
    }
  };
}

const isStore: OptionCheck = (value, name) => {
  objectWithMethods(
    'a TokenStore (an object with get, set and delete functions)',
    ['get', 'set', 'delete'],
    ['lock'],
  )(value, name);
  const rateGate = (value as { rateGate?: unknown }).rateGate;
  if (rateGate !== undefined) {
    objectWithMethods('a RateGate (an object with a take function)', ['take'])(
      rateGate,
      `${name}.rateGate`,
    );
  }
};

const isClock: OptionCheck = /* @__PURE__ */ objectWithMethods(
  'a Clock (an object with now, sleep and random functions)',
  ['now', 'sleep', 'random'],
  ['monotonic'],
);

const isOrigins: OptionCheck = (value, name) => {
  must('an array of origin strings or URLs', Array.isArray)(value, name);
  for (const origin of value as unknown[]) {
    if (typeof origin !== 'string' && !(origin instanceof URL)) {
      invalidOption(name, `must list origin strings or URLs; got ${describeValue(origin)}`);
    }
    // https, or http on loopback; no credentials in it.
    secureUrl(origin, name);
  }
};

const isDebug: OptionCheck = /* @__PURE__ */ must(
  'a boolean or a function (line: string) => void',
  (v) => typeof v === 'boolean' || typeof v === 'function',
);

/**
 * `false`, or what `dpop()` from `@authwire/core/dpop` returns (an object that binds a provider);
 * the manager imports nothing of DPoP, so `true` or a settings object is refused with the import.
 */
const isDpop: OptionCheck = (value, name) => {
  if (value === false) return;
  const option = value as { bindProvider?: unknown } | null;
  if (typeof option === 'object' && option !== null && typeof option.bindProvider === 'function') {
    return;
  }
  invalidOption(
    name,
    `must be dpop() from '@authwire/core/dpop' (dpop: dpop(), or dpop({ keyPair, allowBearer })); got ${
      value === true ? 'true' : describeValue(value)
    }`,
  );
};

/** A delay option: a finite number of ms in [0, 2^31−1] (what a timer can hold). */
const delayMs = /* @__PURE__ */ optional(isNumber(0, MAX_TIMER_MS));

/**
 * Every option of `createTokenManager`, with its check. Ranges follow settings.ts: a timeout of 0
 * would fail every request, `maxAttempts` counts tries (1 = no retry), and every delay must fit a
 * timer.
 */
export const MANAGER_OPTION_CHECKS: Readonly<Record<string, OptionCheck>> =
  /* @__PURE__ */ Object.freeze({
    origins: optional(isOrigins),
    store: optional(isStore),
    clock: optional(isClock),
    fetch: optional(isFunction),
    refreshWindowMs: delayMs,
    expiryMarginMs: delayMs,
    // At least 1 ms (0 would fail every request), at most what a timer can hold.
    requestTimeoutMs: optional(isNumber(1, MAX_TIMER_MS)),
    tokenTimeoutMs: optional(isNumber(1, MAX_TIMER_MS)),
    maxAttempts: optional(isNumber(1, 10, { integer: true })),
    retryBaseDelayMs: delayMs,
    retryMaxDelayMs: delayMs,
    maxRetryAfterMs: delayMs,
    lockTtlMs: optional(isNumber(1, MAX_TIMER_MS)),
    revokeOnClose: optional(isBoolean),
    onEvent: optional(isFunction),
    waitUntil: optional(isFunction),
    debug: optional(isDebug),
    // A token response is a few hundred bytes; 1 KiB .. 16 MiB keeps a typo from disabling the cap.
    maxResponseBytes: optional(isNumber(1_024, 16 * 1024 * 1024, { integer: true })),
    dpop: optional(isDpop),
  });

/**
 * Validates `createTokenManager`'s options: `undefined` is "no options"; anything else must be
 * an object whose every field has the right type and range, with no unknown names. Throws an
 * `InvalidOptionsError` naming the option (with a did-you-mean for a typo).
 *
 * @example
 * checkManagerOptions({ refreshWindowMS: 1000 }); // InvalidOptionsError: did you mean refreshWindowMs?
 */
export function checkManagerOptions(options: unknown, where = 'createTokenManager()'): void {
  if (options === undefined) return;
  checkOptions(options, MANAGER_OPTION_CHECKS, where);
}

/** Most requests (and burst) a declared rate limit may name: far above any published limit. */
const MAX_RATE_REQUESTS = 1_000_000;

/**
 * A provider's declared `rateLimit`: `requests` > 0 per `intervalMs` ≥ 1 ms, `burst` ≥ 1 when
 * given, a non-empty `key`, all finite, and the gap between two requests must fit a timer. NaN,
 * 0, a negative, Infinity or a string would otherwise mean "no limit" or "wait the 10-minute cap".
 */
const isRateLimit: OptionCheck = (value, name) => {
  must('an object { requests, intervalMs, burst?, key }', isRecord)(value, name);
  const limit = value as Record<string, unknown>;
  isNumber(0, MAX_RATE_REQUESTS, { exclusiveMin: true })(limit.requests, `${name}.requests`);
  isNumber(1, MAX_TIMER_MS)(limit.intervalMs, `${name}.intervalMs`);
  optional(isNumber(1, MAX_RATE_REQUESTS))(limit.burst, `${name}.burst`);
  isNonEmptyString(limit.key, `${name}.key`);
  if ((limit.intervalMs as number) / (limit.requests as number) > MAX_TIMER_MS) {
    invalidOption(
      `${name}.requests`,
      'leaves more time between two requests than a timer can hold',
    );
  }
};

/** A list of strings (`secrets`, `tokenTypes`); values are never quoted. */
function stringList(what: string, test: (item: string) => boolean): OptionCheck {
  return (value, name) => {
    must(`an array of ${what}`, Array.isArray)(value, name);
    for (const item of value as unknown[]) {
      if (typeof item !== 'string' || !test(item)) {
        invalidOption(name, `must list only ${what}; got ${describeValue(item)}`);
      }
    }
  };
}

/**
 * Every value a provider declares, checked like an option (`defaultLifetimeMs` is checked with
 * the settings it feeds). A provider is any object (a class instance, a preset's), so unknown
 * members are not refused.
 */
const PROVIDER_CHECKS: Readonly<Record<string, OptionCheck>> = /* @__PURE__ */ Object.freeze({
  label: optional(isString),
  secrets: optional(stringList('strings', () => true)),
  tokenTypes: optional(stringList('non-empty strings', (item) => item.trim() !== '')),
  rateLimit: optional(isRateLimit),
  refreshRevokesPrevious: optional(isBoolean),
  headers: optional(isFunction),
  revoke: optional(isFunction),
  hostNotFoundHint: optional(isString),
  // The request seam's hooks: the token in another header, per-request headers, a 401 healed in place.
  tokenHeader: optional(
    must(
      'a header name (an HTTP token, RFC 9110 §5.6.2)',
      (v) => typeof v === 'string' && HEADER_NAME.test(v),
    ),
  ),
  requestHeaders: optional(isFunction),
  challenged: optional(isFunction),
  responded: optional(isFunction),
});

/**
 * A provider must be an object with a non-empty `key` and a `fetchToken()` method; every other
 * value it declares is checked too (`InvalidOptionsError` naming `provider.<field>`).
 */
export function checkProvider(provider: unknown): asserts provider is TokenProvider {
  const candidate = provider as Partial<TokenProvider> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.fetchToken !== 'function'
  ) {
    invalidOption('provider', 'must be an object with a fetchToken() method');
  }
  if (typeof candidate.key !== 'string' || candidate.key === '') {
    invalidOption('provider.key', 'must be a non-empty string');
  }
  const declared = candidate as unknown as Record<string, unknown>;
  for (const [name, check] of Object.entries(PROVIDER_CHECKS)) {
    check(declared[name], `provider.${name}`);
  }
}

/**
 * The provider's declared rate limit, checked (by `checkProvider`) and copied once: a getter that
 * later returns something else cannot change the limit a manager enforces.
 */
export function declaredRateLimit(provider: TokenProvider): RateLimit | undefined {
  const limit = provider.rateLimit;
  if (limit === undefined) return undefined;
  const { key, requests, intervalMs, burst } = limit;
  const copy =
    burst === undefined ? { key, requests, intervalMs } : { key, requests, intervalMs, burst };
  // Read once, checked as read: what the manager enforces is what was checked.
  isRateLimit(copy, 'provider.rateLimit');
  return Object.freeze(copy);
}

/** The origins a token may go to: required, from the options or the provider. */
export function checkOrigins(origins: unknown): readonly (string | URL)[] {
  if (!Array.isArray(origins) || origins.length === 0) {
    invalidOption('origins', 'must list the API origins the token may be sent to');
  }
  return origins as readonly (string | URL)[];
}
