// Type tests of both public surfaces (checked by `tsc` in the typecheck script).
import { expectTypeOf } from 'vitest';
import * as root from '../src/index.ts';
import {
  type Authorization,
  createTokenManager,
  type TokenEvent,
  type TokenManager,
  type TokenStore,
} from '../src/index.ts';
import type { RateGate, RequestAuth } from '../src/kit.ts';
import * as kit from '../src/kit.ts';

// The manager users hold: no adapter plumbing on it.
expectTypeOf(createTokenManager).returns.toEqualTypeOf<TokenManager>();
expectTypeOf<TokenManager>().toHaveProperty('label').toEqualTypeOf<string>();
expectTypeOf<TokenManager>().not.toHaveProperty('peek');
expectTypeOf<TokenManager>().not.toHaveProperty('allows');
expectTypeOf<TokenStore>().not.toHaveProperty('lockedLoad');
expectTypeOf<TokenStore['rateGate']>().toEqualTypeOf<RateGate | undefined>();

// The root holds what applications call; plumbing is only on the kit.
expectTypeOf(root).not.toHaveProperty('requestAuth');
expectTypeOf(root).not.toHaveProperty('assertTokenManager');
expectTypeOf(root).not.toHaveProperty('REDACTED');
expectTypeOf(root).not.toHaveProperty('secureUrl');
expectTypeOf(root).not.toHaveProperty('decodeJwtClaims');
expectTypeOf(root).not.toHaveProperty('invalidOption');

// The seam: headers at once when cached, a promise when waiting, nothing for foreign origins.
expectTypeOf(kit.requestAuth).returns.toEqualTypeOf<RequestAuth>();
expectTypeOf<RequestAuth['headers']>().returns.toEqualTypeOf<
  Authorization | Promise<Authorization | undefined> | undefined
>();
expectTypeOf<RequestAuth['peek']>().returns.toEqualTypeOf<Authorization | undefined>();
expectTypeOf<RequestAuth['retry']>().returns.toEqualTypeOf<
  Promise<Authorization | undefined> | undefined
>();

// Every event names its provider by a readable label, and none carries a `key`.
expectTypeOf<TokenEvent['label']>().toEqualTypeOf<string>();
expectTypeOf<Extract<TokenEvent, { type: 'token_acquired' }>>().not.toHaveProperty('key');

// The grants: one of tokenUrl or issuer, never both; a private key, a secret, or neither.
expectTypeOf(root.clientCredentialsGrant).returns.toEqualTypeOf<root.TokenProvider>();
expectTypeOf(root.refreshToken).returns.toEqualTypeOf<root.TokenProvider>();
root.clientCredentialsGrant({ issuer: 'https://id.example.com', clientId: 'a', privateKey: {} });
root.clientCredentialsGrant({
  tokenUrl: 'https://id.example.com/t',
  clientId: 'a',
  clientSecret: 's',
});
// @ts-expect-error tokenUrl and issuer exclude each other
root.clientCredentialsGrant({ tokenUrl: 'https://x/t', issuer: 'https://x', clientId: 'a' });
// @ts-expect-error the refresh token is required
root.refreshToken({ issuer: 'https://id.example.com', clientId: 'a' });
expectTypeOf<root.RefreshTokenOptions['onRotate']>().toEqualTypeOf<
  ((refreshToken: string) => void | Promise<void>) | undefined
>();
expectTypeOf<root.ProviderState['get']>().returns.toEqualTypeOf<Promise<string | undefined>>();
expectTypeOf<root.InvalidGrantError>().toMatchTypeOf<root.TokenEndpointError>();

// managerPool: onEvict gets the type create() returns (the options do not steer it).
declare const makeManager: (tenant: string) => TokenManager;
root.managerPool(makeManager, {
  onEvict: (manager, tenant) => {
    expectTypeOf(manager).toEqualTypeOf<TokenManager>();
    expectTypeOf(tenant).toEqualTypeOf<string>();
  },
  createTimeoutMs: 10_000,
});
expectTypeOf(root.managerPool(makeManager).get).returns.resolves.toEqualTypeOf<TokenManager>();

// The scrubber on the kit returns an Error, whatever was thrown.
expectTypeOf(kit.scrubError).returns.toEqualTypeOf<Error>();
