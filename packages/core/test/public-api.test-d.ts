// Type tests of both public surfaces (checked by `tsc` in the typecheck script).
import { expectTypeOf } from 'vitest';
import type * as Dpop from '../src/dpop.ts';
import { dpop } from '../src/dpop.ts';
import type * as Grants from '../src/grants.ts';
import * as grants from '../src/grants.ts';
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
expectTypeOf(root).not.toHaveProperty('systemClock');
expectTypeOf(kit.systemClock).toEqualTypeOf<root.Clock>();
// The optional grants and DPoP are on their own subpaths, not on the root.
expectTypeOf(root).not.toHaveProperty('clientCredentialsGrant');
expectTypeOf(root).not.toHaveProperty('refreshToken');
expectTypeOf(root).not.toHaveProperty('InvalidGrantError');
expectTypeOf(root).not.toHaveProperty('dpop');

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
// DPoP is a manager option whose value comes from `@authwire/core/dpop`: dpop(), or false.
expectTypeOf<Root.TokenManagerOptions['dpop']>().toEqualTypeOf<
  Root.DpopOption | false | undefined
>();
expectTypeOf(dpop).returns.toEqualTypeOf<Dpop.DpopOption>();
expectTypeOf(dpop).parameter(0).toEqualTypeOf<Dpop.DpopSettings | undefined>();
expectTypeOf<{ keyPair: CryptoKeyPair; allowBearer: true }>().toExtend<Dpop.DpopSettings>();
expectTypeOf<true>().not.toExtend<Root.TokenManagerOptions['dpop']>();
expectTypeOf<{ keyPair: CryptoKeyPair }>().not.toExtend<Root.TokenManagerOptions['dpop']>();
expectTypeOf<ReturnType<Dpop.DpopOption['bindProvider']>>().toEqualTypeOf<Dpop.DpopBinding>();
declare const provider: kit.TokenProvider;
createTokenManager(provider, { dpop: dpop() });
createTokenManager(provider, { dpop: false });
// @ts-expect-error `dpop: true` is 0.x's form: the value is dpop() from '@authwire/core/dpop'
createTokenManager(provider, { dpop: true });

// The grants: one of tokenUrl or issuer, never both; a private key, a secret, or neither.
expectTypeOf(grants.clientCredentialsGrant).returns.toEqualTypeOf<kit.TokenProvider>();
expectTypeOf(grants.refreshToken).returns.toEqualTypeOf<kit.TokenProvider>();
grants.clientCredentialsGrant({ issuer: 'https://id.example.com', clientId: 'a', privateKey: {} });
grants.clientCredentialsGrant({
  tokenUrl: 'https://id.example.com/t',
  clientId: 'a',
  clientSecret: 's',
});
// @ts-expect-error tokenUrl and issuer exclude each other
grants.clientCredentialsGrant({ tokenUrl: 'https://x/t', issuer: 'https://x', clientId: 'a' });
// @ts-expect-error the refresh token is required
grants.refreshToken({ issuer: 'https://id.example.com', clientId: 'a' });
expectTypeOf<Grants.RefreshTokenOptions['onRotate']>().toEqualTypeOf<
  ((refreshToken: string) => void | Promise<void>) | undefined
>();
expectTypeOf<kit.ProviderState['get']>().returns.toEqualTypeOf<Promise<string | undefined>>();
expectTypeOf<Grants.InvalidGrantError>().toMatchTypeOf<root.TokenEndpointError>();
// @ts-expect-error provider plumbing: on the kit only
export type RootProviderState = Root.ProviderState;

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
