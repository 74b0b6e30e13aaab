// The "typical hand-written token cache" the peers use: a variable, an expiry check, no single-flight.
// It reads Date.now(), as such code does; the steady-load scenario fakes Date for it.

/** An RFC 6749 token response, as the peers read it. */
export interface TokenBody {
  readonly access_token: string;
  readonly expires_in: number;
}

export interface TokenCache {
  /** The cached token, or a new one when none is cached or it is about to expire. */
  get(): Promise<string>;
  /** Fetches a new token and caches it (after a 401). */
  refresh(): Promise<string>;
}

/** Refreshes `marginMs` before expiry, the usual allowance for clock skew and latency. */
export function tokenCache(fetchToken: () => Promise<TokenBody>, marginMs = 10_000): TokenCache {
  let cached: { value: string; expiresAt: number } | undefined;
  const refresh = async (): Promise<string> => {
    const body = await fetchToken();
    cached = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return cached.value;
  };
  return {
    get: () =>
      cached && Date.now() < cached.expiresAt - marginMs
        ? Promise.resolve(cached.value)
        : refresh(),
    refresh,
  };
}
