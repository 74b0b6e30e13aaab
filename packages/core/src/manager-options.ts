// Type and range checks of createTokenManager's options (numbers are checked with their defaults in settings.ts).
import { InvalidOptionsError } from './errors.ts';

/** Throws InvalidOptionsError naming the first option of the wrong type. */
export function checkManagerOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionsError('options', 'options must be an object');
  }
}
