// Checks of single Salesforce Commerce options; each failure is an InvalidOptionsError naming the option.
import { invalidOption, secureUrl } from '@authwire/core/kit';

/**
 * `value` when it is a string matching `pattern`, else an error saying the option `must be …`.
 * Messages never include the value: it may be a misplaced secret.
 */
export function matching(option: string, value: unknown, pattern: RegExp, must: string): string {
  return typeof value === 'string' && pattern.test(value)
    ? value
    : invalidOption(option, `must be ${must}`);
}

/** A client id or secret: non-empty, without the stray whitespace of a copied value. */
export function credential(option: string, value: unknown): string {
  return matching(
    option,
    value,
    /^\S(?:[\s\S]*\S)?$/,
    'a non-empty string without surrounding spaces',
  );
}

/** An override URL (proxies, tests): HTTPS or loopback http, without a #fragment or userinfo. */
export function overrideUrl(option: string, value: unknown): URL {
  const url = secureUrl(value, option);
  return url.hash ? invalidOption(option, 'must not have a #fragment') : url;
}

/** `value` lower-cased when it matches `pattern` (case-insensitively), else an error. */
export function lowerMatching(
  option: string,
  value: unknown,
  pattern: RegExp,
  must: string,
): string {
  return matching(option, value, pattern, must).toLowerCase();
}

/** The short code of the instance group: `{shortCode}.api.commercecloud.salesforce.com`. */
export function shortCodeOf(value: unknown): string {
  return lowerMatching(
    'shortCode',
    value,
    /^[a-z0-9]{4,16}$/i,
    "the instance's short code, e.g. 'kv7kzm78'",
  );
}

/** A tenant (instance) id, e.g. `zzrf_001` or `bjxb_prd`. */
export function tenantIdOf(value: unknown): string {
  return lowerMatching(
    'tenantId',
    value,
    /^[a-z0-9]{4}_[a-z0-9]{3}$/i,
    "a tenant id, e.g. 'zzrf_001'",
  );
}

/** The API origin of a short code (developer.salesforce.com, "Base URL and Request Formation"). */
export function apiOriginOf(shortCode: string): string {
  return `https://${shortCode}.api.commercecloud.salesforce.com`;
}
