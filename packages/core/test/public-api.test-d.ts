// Type tests of both public surfaces (checked by `tsc` in the typecheck script).
import { expectTypeOf } from 'vitest';
import type * as Root from '../src/index.ts';
import * as root from '../src/index.ts';
import {
  type Authorization,
  createTokenManager,
  type TokenEvent,
  type TokenManager,
  type TokenStore,
} from '../src/index.ts';
import type { OutageGate, RateGate, RequestAuth, Retry } from '../src/kit.ts';
import * as kit from '../src/kit.ts';

// The manager users hold: no adapter plumbing on it.
expectTypeOf(createTokenManager).returns.toEqualTypeOf<TokenManager>();
expectTypeOf<TokenManager>().toHaveProperty('label').toEqualTypeOf<string>();
expectTypeOf<TokenManager>().not.toHaveProperty('peek');
expectTypeOf<TokenManager>().not.toHaveProperty('allows');
expectTypeOf<TokenStore>().not.toHaveProperty('lockedLoad');
expectTypeOf<TokenStore['rateGate']>().toEqualTypeOf<RateGate | undefined>();
// A fleet's shared outage back-off is an optional part of the gate (issue 29).
expectTypeOf<RateGate['outage']>().toEqualTypeOf<OutageGate | undefined>();
expectTypeOf<ReturnType<OutageGate['downFor']>>().toEqualTypeOf<Promise<number>>();

// The root holds what applications call; plumbing is only on the kit.
expectTypeOf(root).not.toHaveProperty('requestAuth');
expectTypeOf(root).not.toHaveProperty('assertTokenManager');
expectTypeOf(root).not.toHaveProperty('REDACTED');
expectTypeOf(root).not.toHaveProperty('secureUrl');
expectTypeOf(root).not.toHaveProperty('decodeJwtClaims');
expectTypeOf(root).not.toHaveProperty('invalidOption');

// The seam: two calls, both promises. authorize → headers or none; onResponse → done or one retry.
expectTypeOf(kit.requestAuth).returns.toEqualTypeOf<RequestAuth>();
expectTypeOf<RequestAuth['authorize']>().returns.toEqualTypeOf<
  Promise<Readonly<Record<string, string>> | undefined>
>();
expectTypeOf<RequestAuth['onResponse']>().returns.toEqualTypeOf<Promise<Retry | undefined>>();
expectTypeOf<RequestAuth>().not.toHaveProperty('peek');
expectTypeOf<RequestAuth>().not.toHaveProperty('retry');
expectTypeOf<Authorization>().toHaveProperty('headers');

// Every event names its provider by a readable label, and none carries a `key`.
expectTypeOf<TokenEvent['label']>().toEqualTypeOf<string>();
expectTypeOf<Extract<TokenEvent, { type: 'token_acquired' }>>().not.toHaveProperty('key');

// Provider and store plumbing types are on the kit only.
// @ts-expect-error not on the root
export type RootFetchContext = Root.FetchContext;
// @ts-expect-error not on the root
export type RootStoreLock = Root.StoreLock;
// @ts-expect-error not on the root
export type RootTokenRequest = Root.TokenRequest;
expectTypeOf<kit.FetchContext['request']>().parameter(0).toEqualTypeOf<kit.TokenRequest>();
expectTypeOf<kit.StoreLock['release']>().returns.toEqualTypeOf<Promise<void>>();

// The seam carries DPoP and other token headers without an adapter changing.
expectTypeOf<kit.OutgoingRequest>().toHaveProperty('method');
expectTypeOf<kit.IncomingResponse>().toHaveProperty('headers');
expectTypeOf<kit.TokenProvider>().toHaveProperty('requestHeaders');
expectTypeOf<kit.TokenProvider>().toHaveProperty('challenged');
expectTypeOf<kit.TokenProvider['tokenHeader']>().toEqualTypeOf<string | undefined>();
// A DPoP proof is signed asynchronously (WebCrypto): per-request headers may be a promise.
expectTypeOf<ReturnType<NonNullable<kit.TokenProvider['requestHeaders']>>>().toEqualTypeOf<
  Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>
>();
expectTypeOf<kit.TokenProvider>().toHaveProperty('responded');
expectTypeOf<kit.Challenge['url']>().toEqualTypeOf<string | undefined>();
// DPoP is a manager option: true, false, or a key pair (and the Bearer downgrade switch).
expectTypeOf<Root.TokenManagerOptions['dpop']>().toEqualTypeOf<Root.DpopOption | undefined>();
expectTypeOf<{ keyPair: CryptoKeyPair; allowBearer: true }>().toExtend<Root.DpopOption>();
expectTypeOf<'yes'>().not.toExtend<Root.DpopOption>();

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
