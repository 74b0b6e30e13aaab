// Checks of single Salesforce Commerce options (the shared ones are on the kit); each failure is an InvalidOptionsError naming the option.
import { matching } from '@authwire/core/kit';

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
