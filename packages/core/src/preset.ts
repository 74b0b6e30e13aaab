// The one preset wrapper: validated provider → a manager on the provider's own origins, with read-only facts about it.
import type { TokenManager, TokenManagerOptions } from './manager-types.ts';
import { createTokenManager } from './token-manager.ts';
import type { TokenProvider } from './types.ts';

/**
 * Creates the manager a preset returns: its origins are always the provider's (never an option),
 * and the provider's settled facts (`baseUrl`, `scope`, ...) become read-only, enumerable
 * properties of the manager.
 *
 * @example
 * ```ts
 * export function acme(options: AcmeOptions): AcmeTokenManager {
 *   const provider = acmeProvider(options);
 *   return presetManager(provider, options, ['baseUrl', 'tenant'] as const);
 * }
 * ```
 */
export function presetManager<
  P extends TokenProvider & { readonly origins: readonly string[] },
  K extends keyof P,
>(
  provider: P,
  options: Omit<TokenManagerOptions, 'origins'>,
  facts: readonly K[],
): TokenManager & Pick<P, K> {
  // The manager reads only its own options; the origins are always the provider's.
  const manager = createTokenManager(provider, {
    ...managerOptions(options),
    origins: provider.origins,
  });
  const described: PropertyDescriptorMap = {};
  for (const name of facts) described[name as string] = { value: provider[name], enumerable: true };
  return Object.defineProperties(manager, described) as TokenManager & Pick<P, K>;
}

const MANAGER_OPTIONS: readonly string[] = [
  'store',
  'clock',
  'fetch',
  'refreshWindowMs',
  'expiryMarginMs',
  'requestTimeoutMs',
  'maxAttempts',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'maxRetryAfterMs',
  'lockTtlMs',
  'revokeOnClose',
  'onEvent',
  'debug',
  'maxResponseBytes',
];

/** The manager's own options out of a preset's combined options object. */
function managerOptions(options: object): TokenManagerOptions {
  const picked: Record<string, unknown> = {};
  for (const name of MANAGER_OPTIONS) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked as TokenManagerOptions;
}
