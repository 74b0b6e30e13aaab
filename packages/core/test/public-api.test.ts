// The runtime export names of both surfaces, pinned: adding or removing one is a visible decision.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as dpop from '../src/dpop.ts';
import * as grants from '../src/grants.ts';
import * as root from '../src/index.ts';
import * as kit from '../src/kit.ts';

const SRC = join(import.meta.dirname, '../src');

describe('public surfaces', () => {
  it('the root exports what applications call, and nothing else', () => {
    expect(Object.keys(root).sort()).toMatchInlineSnapshot(`
      [
        "AbortedError",
        "AuthwireError",
        "ClosedError",
        "EndpointDownError",
        "InsecureUrlError",
        "InvalidOptionsError",
        "InvalidTokenResponseError",
        "RateLimitedError",
        "ResponseTooLargeError",
        "TimeoutError",
        "TokenEndpointError",
        "authFetch",
        "clientCredentials",
        "createTokenManager",
        "isAuthwireError",
        "managerPool",
        "memoryStore",
        "staticCredentials",
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
        "sendFollowing",
        "setHeaders",
        "systemClock",
        "tokenSecrets",
        "validateToken",
      ]
    `);
  });

  it('the root holds at most 18 values', () => {
    expect(Object.keys(root).length).toBeLessThanOrEqual(18);
  });

  it('the grants subpath exports the optional grants and their errors', () => {
    expect(Object.keys(grants).sort()).toMatchInlineSnapshot(`
      [
        "DiscoveryError",
        "InvalidClientError",
        "InvalidGrantError",
        "clearDiscoveryCache",
        "clientCredentialsGrant",
        "refreshToken",
      ]
    `);
  });

  it('the dpop subpath exports dpop() alone', () => {
    expect(Object.keys(dpop)).toEqual(['dpop']);
  });

  it('no two surfaces share a value', () => {
    const surfaces = [root, kit, grants, dpop].map((surface) => Object.keys(surface));
    const all = surfaces.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  // DPoP is bundled only by who imports `@authwire/core/dpop`: nothing else reaches dpop/.
  it('no source file outside dpop/ and the dpop entry imports from dpop/', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.startsWith('dpop/') && file !== 'dpop.ts',
    );
    const importers = files.filter((file) =>
      /['"](\.\.?\/)+dpop\//.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(30);
    expect(importers).toEqual([]);
  });
});
