// Instrumentation around token requests (tracing spans): the kit's observeTokenRequests.

import type { TokenManager } from '../manager/manager-types.ts';
import { wrapOn } from '../manager/token-manager.ts';
import type { TokenRequestWrapper } from '../types.ts';

/**
 * Runs `wrap` around each token-request attempt of `manager` (e.g. a tracing span made the active
 * context while the provider sends its requests). Returns a function that removes it. A manager
 * not made by createTokenManager has no attempts to observe.
 *
 * @example
 * const stop = observeTokenRequests(auth, (info, run) => tracer.startActiveSpan('token', () => run()));
 */
export function observeTokenRequests(manager: TokenManager, wrap: TokenRequestWrapper): () => void {
  return wrapOn(manager, wrap);
}
