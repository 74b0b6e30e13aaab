// The checks on every TokenManagerOptions field: type, range, and no unknown names.

import { sharedRate } from '../rate-limit/token-bucket.ts';
import { secureUrl } from '../request/origins.ts';
import type { RateLimit, TokenProvider, TokenStore } from '../types.ts';
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

/**
 * An object whose `methods` (space-separated; `?` marks an optional one) are functions, e.g.
 * `store must be a TokenStore (get set delete lock?): delete is a string`.
 */
function withMethods(what: string, methods: string): OptionCheck {
  const kind = `${what} (${methods})`;
  return (value, name) => {
    must(kind, isRecord)(value, name);
    for (const method of methods.split(' ')) {
      const member = (value as Record<string, unknown>)[method.replace('?', '')];
      if (typeof member !== 'function' && !(method.endsWith('?') && member === undefined)) {
        invalidOption(name, `must be ${kind}: ${method} is ${describeValue(member)}`);
      }
    }
  };
}

const isRateGate: OptionCheck = /* @__PURE__ */ withMethods('a RateGate', 'take');

const isStore: OptionCheck = (value, name) => {
  withMethods('a TokenStore', 'get set delete lock?')(value, name);
  optional(isRateGate)((value as TokenStore).rateGate, `${name}.rateGate`);
};

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
  if (
    value !== false &&
    typeof (value as { bindProvider?: unknown })?.bindProvider !== 'function'
  ) {
    invalidOption(
      name,
      `must be dpop() from '@authwire/core/dpop' (dpop: dpop(), or dpop({ keyPair, allowBearer })); got ${
        value === true ? 'true' : describeValue(value)
      }`,
    );
  }
};

/** A delay option: a finite number of ms in [0, 2^31−1] (what a timer can hold). */
const delayMs = /* @__PURE__ */ optional(isNumber(0, MAX_TIMER_MS));
/** A timeout: at least 1 ms (0 would fail every request), at most what a timer can hold. */
const timeoutMs = /* @__PURE__ */ optional(isNumber(1, MAX_TIMER_MS));

/**
 * Every option of `createTokenManager`, with its check. Ranges follow settings.ts: a timeout of 0
 * would fail every request, `maxAttempts` counts tries (1 = no retry), and every delay must fit a
 * timer.
 */
export const MANAGER_OPTION_CHECKS: Readonly<Record<string, OptionCheck>> = {
  origins: optional(isOrigins),
  store: optional(isStore),
  clock: optional(withMethods('a Clock', 'now sleep random monotonic?')),
  fetch: optional(isFunction),
  refreshWindowMs: delayMs,
  expiryMarginMs: delayMs,
  requestTimeoutMs: timeoutMs,
  tokenTimeoutMs: timeoutMs,
  maxAttempts: optional(isNumber(1, 10, { integer: true })),
  retryBaseDelayMs: delayMs,
  retryMaxDelayMs: delayMs,
  maxRetryAfterMs: delayMs,
  lockTtlMs: timeoutMs,
  revokeOnClose: optional(isBoolean),
  onEvent: optional(isFunction),
  waitUntil: optional(isFunction),
  debug: optional(isDebug),
  // A token response is a few hundred bytes; 1 KiB .. 16 MiB keeps a typo from disabling the cap.
  maxResponseBytes: optional(isNumber(1_024, 16 * 1024 * 1024, { integer: true })),
  dpop: optional(isDpop),
};

/**
 * Validates `createTokenManager`'s options: `undefined` is "no options"; anything else must be
 * an object whose every field has the right type and range, with no unknown names. Throws an
 * `InvalidOptionsError` naming the option (with a did-you-mean for a typo).
 *
 * @example
 * checkManagerOptions({ refreshWindowMS: 1000 }); // InvalidOptionsError: did you mean refreshWindowMs?
 */
export function checkManagerOptions(options: unknown): void {
  if (options !== undefined) checkOptions(options, MANAGER_OPTION_CHECKS, 'createTokenManager()');
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
 * Every value a provider may declare, checked like an option when present (`defaultLifetimeMs` is
 * checked with the settings it feeds). A provider is any object (a class instance, a preset's), so
 * unknown members are not refused.
 */
const PROVIDER_CHECKS: Readonly<Record<string, OptionCheck>> = {
  label: isString,
  secrets: stringList('strings', () => true),
  tokenTypes: stringList('non-empty strings', (item) => item.trim() !== ''),
  rateLimit: isRateLimit,
  refreshRevokesPrevious: isBoolean,
  headers: isFunction,
  revoke: isFunction,
  hostNotFoundHint: isString,
  // The request seam's hooks: the token in another header, per-request headers, a 401 healed in place.
  tokenHeader: must(
    'a header name (an HTTP token, RFC 9110 §5.6.2)',
    (v) => typeof v === 'string' && HEADER_NAME.test(v),
  ),
  requestHeaders: isFunction,
  challenged: isFunction,
  responded: isFunction,
};

/**
 * A provider must be an object with a non-empty `key` and a `fetchToken()` method; every other
 * value it declares is checked too (`InvalidOptionsError` naming `provider.<field>`).
 */
export function checkProvider(provider: unknown): asserts provider is TokenProvider {
  const candidate = provider as Record<string, unknown> | null;
  if (typeof candidate !== 'object' || typeof candidate?.fetchToken !== 'function') {
    invalidOption('provider', 'must be an object with a fetchToken() method');
  }
  if (typeof candidate.key !== 'string' || candidate.key === '') {
    invalidOption('provider.key', 'must be a non-empty string');
  }
  for (const [name, check] of Object.entries(PROVIDER_CHECKS)) {
    optional(check)(candidate[name], `provider.${name}`);
  }
}

/**
 * The provider's declared rate limit, checked (by `checkProvider`) and copied once: a getter that
 * later returns something else cannot change the limit a manager enforces. Kept as its key and its
 * numbers, one object shared by the managers on the same published limit (bench 4, "manager +
 * token", norce()).
 */
export function keptRateLimit(
  provider: TokenProvider,
): readonly [string, Omit<RateLimit, 'key'>] | readonly [] {
  const limit = provider.rateLimit;
  if (limit === undefined) return [];
  const { key, requests, intervalMs, burst } = limit;
  const copy =
    burst === undefined ? { key, requests, intervalMs } : { key, requests, intervalMs, burst };
  // Read once, checked as read: what the manager enforces is what was checked.
  isRateLimit(copy, 'provider.rateLimit');
  return [key, sharedRate(copy)];
}

/** The origins a token may go to: required, from the options or the provider. */
export function checkOrigins(origins: unknown): readonly (string | URL)[] {
  if (!Array.isArray(origins) || origins.length === 0) {
    invalidOption('origins', 'must list the API origins the token may be sent to');
  }
  return origins as readonly (string | URL)[];
}
