// The provider, called for one load: what it sends its requests with, one attempt under its deadline, a revocation, and what their errors must not quote.

import { InvalidTokenResponseError } from '../errors/errors.ts';
import { queryValues, scrubError, secretsInPlay } from '../errors/redact.ts';
import { deadline } from '../manager/waiting.ts';
import { STORE_TIMEOUT_MS } from '../options/settings.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
import { providerState } from '../store/provider-state.ts';
import type { FetchContext, Token, TokenRequestInfo, TokenRequestWrapper } from '../types.ts';
import type { FetcherDeps } from './token-fetcher.ts';
import { type SendOptions, sendRequest, sendTokenRequest } from './token-request.ts';
import { validateToken } from './token-response.ts';

export interface ProviderCalls {
  attempt(info: TokenRequestInfo, current: Token | undefined, budgetLeftMs: number): Promise<Token>;
  revoke(token: Token): Promise<void>;
  secrets(current: Token | undefined): readonly string[];
}

export function providerCalls(deps: FetcherDeps): ProviderCalls {
  const { clock, provider, settings, entry, label, wrappers } = deps;
  /** Query values of the URLs this load's provider sent to (`?code=…`): secrets like any other. */
  let sentQueries: readonly string[] = [];
  const now = (): number => clock.now();

  /** What a provider sends its requests with, bounded by `signal`. */
  const context = (signal: AbortSignal): Omit<FetchContext, 'reason' | 'current'> => {
    const options: SendOptions = {
      ...settings,
      // Looked up per request: a global fetch patched later (a mock) is the one used.
      fetch: deps.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
      now,
      signal,
      secrets: provider.secrets ?? [],
      hostNotFoundHint: provider.hostNotFoundHint,
    };
    /** Remembers the query values of a URL the provider sends to, for `secrets`. */
    const sending = <R extends { readonly url: string }>(request: R): R => {
      const values = typeof request?.url === 'string' ? queryValues(request.url) : [];
      if (values.length > 0) sentQueries = [...new Set([...sentQueries, ...values])];
      return request;
    };
    const { store, onStoreError } = deps;
    const storeMs = Math.min(STORE_TIMEOUT_MS, settings.requestTimeoutMs);
    return {
      signal,
      request: (request) => sendTokenRequest(sending(request), options),
      send: (request) => sendRequest(sending(request), options),
      now,
      state: providerState(store, provider.key, storeMs, entry, now, onStoreError),
    };
  };

  /**
   * What an error of this load must not quote: the provider's secrets, the token it refreshes and
   * every token the key serves or recently rejected.
   */
  const secrets = (current: Token | undefined): readonly string[] => [
    ...secretsInPlay(provider, current, entry),
    ...sentQueries,
  ];

  /** One attempt under its own deadline; the provider's answer is validated like a token response. */
  const attempt = async (
    info: TokenRequestInfo,
    current: Token | undefined,
    budgetLeftMs: number,
  ): Promise<Token> => {
    const lifecycle = entry.signal;
    const timeoutMs = Math.min(settings.requestTimeoutMs, budgetLeftMs);
    const { signal, dispose } = deadline(clock, timeoutMs, 'Token request', lifecycle);
    const run = async (): Promise<Token> => {
      const given: FetchContext = {
        ...context(signal),
        reason: info.reason,
        ...(current ? { current } : {}),
      };
      // A provider that ignores its signal must not hold the caller: the deadline wins the race.
      // What it throws is scrubbed before any wrapper (a span) or caller sees it.
      const answer = await raceSignal((async () => provider.fetchToken(given))(), signal).catch(
        (error: unknown) => {
          throw signal.aborted ? error : scrubError(error, secrets(current));
        },
      );
      const token = validateToken(answer, label, provider);
      if (arrivedExpired(token, clock.now(), settings)) {
        throw new InvalidTokenResponseError(label, 200, 'the token expired before it arrived');
      }
      return token;
    };
    try {
      return await (wrappers?.size ? wrap(wrappers, info, run) : run());
    } catch (error) {
      throw signal.aborted && !lifecycle.aborted ? signal.reason : error;
    } finally {
      dispose();
    }
  };

  /** Ends the session of `token` at the provider (e.g. Oracle's /logout); best effort, never throws. */
  const revoke = async (token: Token): Promise<void> => {
    const { signal, dispose } = deadline(clock, settings.requestTimeoutMs, 'Token revocation');
    // Best effort: a failure is ignored, the token expires on its own.
    await raceSignal((async () => provider.revoke?.(token, context(signal)))(), signal)
      .catch(() => {})
      .finally(dispose);
  };
  return { attempt, revoke, secrets };
}

/** Runs `run` inside every instrumentation wrapper; a misbehaving wrapper cannot change the result. */
async function wrap(
  wrappers: ReadonlySet<TokenRequestWrapper>,
  info: TokenRequestInfo,
  run: () => Promise<Token>,
): Promise<Token> {
  let inner = run;
  for (const wrapper of wrappers) {
    const next = inner;
    let result: Promise<Token> | undefined;
    const once = (): Promise<Token> => (result ??= next());
    inner = async () => {
      // The wrapper's own failure is ignored; run's result decides.
      await (async () => wrapper(info, once))().catch(() => {});
      return once();
    };
  }
  return inner();
}

/** `promise`, or the signal's reason as soon as it aborts. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
