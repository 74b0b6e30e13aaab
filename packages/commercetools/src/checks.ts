// Checks of single commercetools options; each failure is an InvalidOptionsError naming the option.
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
