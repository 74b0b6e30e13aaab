// The runtime export names of both surfaces, pinned: adding or removing one is a visible decision.
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.ts';
import * as kit from '../src/kit.ts';

describe('public surfaces', () => {
  it('the root exports what applications call, and nothing else', () => {
    expect(Object.keys(root).sort()).toMatchInlineSnapshot(`
      [
        "AbortedError",
        "AuthwireError",
        "ClosedError",
        "DiscoveryError",
        "EndpointDownError",
        "InsecureUrlError",
        "InvalidClientError",
        "InvalidGrantError",
        "InvalidOptionsError",
        "InvalidTokenResponseError",
        "RateLimitedError",
        "ResponseTooLargeError",
        "TimeoutError",
        "TokenEndpointError",
        "authFetch",
        "clearDiscoveryCache",
        "clientCredentials",
        "clientCredentialsGrant",
        "createTokenManager",
        "isAuthwireError",
        "managerPool",
        "memoryStore",
        "refreshToken",
        "staticCredentials",
        "systemClock",
      ]
    `);
  });

  it('the kit exports what adapter, preset and store authors need', () => {
    expect(Object.keys(kit).sort()).toMatchInlineSnapshot(`
      [
        "MAX_TIMER_MS",
        "MAX_WAIT_MS",
        "REDACTED",
        "cacheKey",
        "checkOptions",
        "concealSecrets",
        "credential",
        "credentialFingerprint",
        "decodeJwtClaims",
        "followRedirects",
        "formatEvent",
        "invalidOption",
        "isLoopbackHost",
        "isReplayable",
        "labelOf",
        "matching",
        "observeTokenRequests",
        "oneOf",
        "optional",
        "overrideUrl",
        "presetManager",
        "queryValues",
        "requestAuth",
        "sanitizeText",
        "scrub",
        "scrubError",
        "seamFetch",
        "secureUrl",
        "setHeaders",
        "tokenSecrets",
        "validateToken",
      ]
    `);
  });

  it('the two surfaces share no value', () => {
    const shared = Object.keys(root).filter((name) => name in kit);
    expect(shared).toEqual([]);
  });
});
