// The provider, called for one load: what it sends its requests with, one attempt under its deadline, a revocation, and what their errors must not quote.

import { InvalidTokenResponseError } from '../errors/errors.ts';
import { queryValues, scrubError, secretsInPlay } from '../errors/redact.ts';
import { deadline } from '../manager/waiting.ts';
import { STORE_TIMEOUT_MS } from '../options/settings.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
import { providerState } from '../store/provider-state.ts';
import type { FetchContext, Token, TokenRequestInfo, TokenRequestWrapper } from '../types.ts';
import type { FetcherDeps } from './token-fetcher.ts';
import { sendRequest, sendTokenRequest } from './token-request.ts';
import { validateToken } from './token-response.ts';

export class ProviderCalls {
  readonly #deps: FetcherDeps;
  /** Query values of the URLs this load's provider sent to (`?code=…`): secrets like any other. */
  #queryValues: readonly string[] = [];

  constructor(deps: FetcherDeps) {
    this.#deps = deps;
  }

  /** What a provider sends its requests with, bounded by `signal`. */
  #context(signal: AbortSignal): Omit<FetchContext, 'reason' | 'current'> {
    const { clock, provider, settings, store, entry, onStoreError } = this.#deps;
    const options = {
      // Looked up per request: a global fetch patched later (a mock) is the one used.
      fetch: this.#deps.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
      now: () => clock.now(),
      signal,
      secrets: provider.secrets ?? [],
      defaultLifetimeMs: settings.defaultLifetimeMs,
      defaultRetryAfterMs: settings.defaultRetryAfterMs,
      maxResponseBytes: settings.maxResponseBytes,
      hostNotFoundHint: provider.hostNotFoundHint,
    };
    return {
      signal,
      request: (request) => sendTokenRequest(this.#sending(request), options),
      send: (request) => sendRequest(this.#sending(request), options),
      now: options.now,
      state: providerState(
        store,
        provider.key,
        Math.min(STORE_TIMEOUT_MS, settings.requestTimeoutMs),
        entry,
        options.now,
        onStoreError,
      ),
    };
  }

  /** Remembers the query values of a URL the provider sends to, for `secrets`. */
  #sending<R extends { readonly url: string }>(request: R): R {
    const values = typeof request?.url === 'string' ? queryValues(request.url) : [];
    if (values.length > 0) this.#queryValues = [...new Set([...this.#queryValues, ...values])];
    return request;
  }

  /**
   * What an error of this load must not quote: the provider's secrets, the token it refreshes and
   * every token the key serves or recently rejected.
   */
  secrets(current: Token | undefined): readonly string[] {
    const { provider, entry } = this.#deps;
    return [...secretsInPlay(provider, current, entry), ...this.#queryValues];
  }

  /** One attempt under its own deadline; the provider's answer is validated like a token response. */
  async attempt(
    info: TokenRequestInfo,
    current: Token | undefined,
    budgetLeftMs: number,
  ): Promise<Token> {
    const { entry, provider, settings, clock, label, wrappers } = this.#deps;
    const lifecycle = entry.signal;
    const timeoutMs = Math.min(settings.requestTimeoutMs, budgetLeftMs);
    const attempt = deadline(clock, timeoutMs, 'Token request', lifecycle);
    const run = async (): Promise<Token> => {
      const context: FetchContext = {
        ...this.#context(attempt.signal),
        reason: info.reason,
        ...(current ? { current } : {}),
      };
      // A provider that ignores its signal must not hold the caller: the deadline wins the race.
      // What it throws is scrubbed before any wrapper (a span) or caller sees it.
      const answer = await raceSignal(
        (async () => provider.fetchToken(context))(),
        attempt.signal,
      ).catch((error: unknown) => {
        throw attempt.signal.aborted ? error : scrubError(error, this.secrets(current));
      });
      const token = validateToken(
        answer,
        label,
        provider.tokenTypes ? { tokenTypes: provider.tokenTypes } : {},
      );
      if (arrivedExpired(token, clock.now(), settings)) {
        throw new InvalidTokenResponseError(
          label,
          200,
          'the token expired before the response arrived',
        );
      }
      return token;
    };
    try {
      return await (wrappers?.size ? wrap(wrappers, info, run) : run());
    } catch (error) {
      throw attempt.signal.aborted && !lifecycle.aborted ? attempt.signal.reason : error;
    } finally {
      attempt.dispose();
    }
  }

  /** Ends the session of `token` at the provider (e.g. Oracle's /logout); best effort, never throws. */
  async revoke(token: Token): Promise<void> {
    const { clock, provider, settings } = this.#deps;
    const timeout = deadline(clock, settings.requestTimeoutMs, 'Token revocation');
    try {
      await raceSignal(
        Promise.resolve(provider.revoke?.(token, this.#context(timeout.signal))),
        timeout.signal,
      );
    } catch {
      // Best effort: the token expires on its own.
    } finally {
      timeout.dispose();
    }
  }
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
    const once = (): Promise<Token> => {
      result ??= next();
      return result;
    };
    inner = async () => {
      try {
        await wrapper(info, once);
      } catch {
        // The wrapper's own failure is ignored; run's result decides.
      }
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
