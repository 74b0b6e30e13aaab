// Checks of single preset options (Norce, commercetools, Salesforce, Shopify): one copy for every preset.
import { secureUrl } from '../request/origins.ts';
import { invalidOption } from './validate.ts';

/**
 * `value` when it is a string matching `pattern`, else an `InvalidOptionsError` saying the option
 * `must be …`. Messages never include the value: it may be a misplaced secret.
 *
 * @example
 * const region = matching('region', options.region, /^[a-z]{2}$/, "a region code, e.g. 'se'");
 */
export function matching(option: string, value: unknown, pattern: RegExp, must: string): string {
  return typeof value === 'string' && pattern.test(value)
    ? value
    : invalidOption(option, `must be ${must}`);
}

/**
 * A client id or secret: non-empty, without the stray whitespace of a copied value.
 *
 * @example
 * const clientSecret = credential('clientSecret', options.clientSecret);
 */
export function credential(option: string, value: unknown): string {
  return matching(
    option,
    value,
    /^\S(?:[\s\S]*\S)?$/,
    'a non-empty string without surrounding spaces',
  );
}

/**
 * An override URL (proxies, tests): HTTPS or loopback http, without a #fragment or userinfo.
 *
 * @example
 * const tokenUrl = options.tokenUrl === undefined ? undefined : overrideUrl('tokenUrl', options.tokenUrl);
 */
export function overrideUrl(option: string, value: unknown): URL {
  const url = secureUrl(value, option);
  return url.hash ? invalidOption(option, 'must not have a #fragment') : url;
}
