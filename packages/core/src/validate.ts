// Option checks shared by core and the presets: each failure is an InvalidOptionsError naming the option.
import { InvalidOptionsError } from './errors.ts';

/**
 * Throws an `InvalidOptionsError` for `option` whose message is `"<option> <problem>"`.
 *
 * @example
 * if (typeof options.storm !== 'boolean') invalidOption('storm', 'must be a boolean');
 */
export function invalidOption(option: string, problem: string): never {
  throw new InvalidOptionsError(option, `${option} ${problem}`);
}

/**
 * `value` when it is one of `allowed`, else an `InvalidOptionsError` listing them. The message
 * echoes a short word-like value (a typo like `'prod'`), never anything that could be a secret.
 *
 * @example
 * const api = oneOf('api', options.api ?? 'admin', ['admin', 'agent']);
 */
export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (allowed.includes(value as T)) return value as T;
  const got =
    typeof value === 'string' && /^[A-Za-z_-]{1,20}$/.test(value)
      ? `'${value}'`
      : `a ${typeof value}`;
  return invalidOption(option, `must be one of '${allowed.join("', '")}'; got ${got}`);
}
