// The one preset wrapper: validated provider → a manager on the provider's own origins, with read-only facts about it.
import { MANAGER_OPTION_CHECKS } from '../options/manager-options.ts';
import { checkOptions, type OptionCheck } from '../options/validate.ts';
import type { TokenProvider } from '../types.ts';
import type { TokenManager, TokenManagerOptions } from './manager-types.ts';
import { createTokenManager, providerOf } from './token-manager.ts';

/**
 * Creates the manager a preset returns. `options` are the preset's: the provider's own (named in
 * `providerOptions`) and the manager's. Unknown names are refused first, with a did-you-mean (a
 * typo must not pass silently in plain JS); `createProvider` then gets only its own options, and
 * the manager's origins are always the provider's. The provider's settled facts (`baseUrl`,
 * `scope`, ...) become read-only, enumerable properties of the manager.
 *
 * @example
 * ```ts
 * export function acme(options: AcmeOptions): AcmeTokenManager {
 *   return presetManager('acme()', acmeProvider, options, ACME_OPTIONS, ['baseUrl', 'tenant']);
 * }
 * ```
 */
export function presetManager<
  O extends object,
  P extends TokenProvider & { readonly origins: readonly string[] },
  K extends keyof P,
>(
  where: string,
  createProvider: (options: O) => P,
  options: O & Omit<TokenManagerOptions, 'origins'>,
  providerOptions: readonly string[],
  facts: readonly K[],
): TokenManager & Pick<P, K> {
  const known: Record<string, OptionCheck> = { ...MANAGER_OPTION_CHECKS };
  for (const name of providerOptions) known[name] = () => {};
  checkOptions(options, known, where);
  const own: Record<string, unknown> = {};
  const manager: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    (providerOptions.includes(name) ? own : manager)[name] = value;
  }
  const provider = createProvider(own as O);
  const created = createTokenManager(provider, { ...manager, origins: provider.origins });
  for (const name of facts) Object.defineProperty(created, name, fact(name as string));
  return created as TokenManager & Pick<P, K>;
}

/** One getter per fact, reading the manager's provider: no copies on each manager (bench 4, "manager + token", norce()). */
const facts: Record<string, PropertyDescriptor> = {};
function fact(name: string): PropertyDescriptor {
  facts[name] ??= {
    enumerable: true,
    get(this: TokenManager) {
      return providerOf(this)[name as keyof TokenProvider];
    },
  };
  return facts[name];
}
