// The Shopify mock: an app's client-credentials token for its own shop, and the Admin API read with X-Shopify-Access-Token.
import { randomBytes } from 'node:crypto';
import { HttpResponse } from 'msw/http';
import {
  type ClientCredentialsMock,
  type ClientCredentialsMockOptions,
  clientCredentialsMock,
} from './client-credentials-mock.ts';

/**
 * Options of {@link shopifyMock}.
 *
 * @example
 * ```ts
 * shopifyMock({ shop: 'acme-dev' });
 * ```
 */
export interface ShopifyMockOptions extends ClientCredentialsMockOptions {
  /** The shop's subdomain: `{shop}.myshopify.com`. */
  readonly shop?: string;
}

/** Defaults of the Shopify mock. */
export const SHOPIFY_MOCK_DEFAULTS: {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly shop: string;
} = {
  clientId: 'authwire-shopify-client',
  clientSecret: 'authwire-shopify-secret',
  shop: 'authwire-demo',
};

/** The header Shopify's Admin API reads the token from (shopify.dev, "About client credentials"). */
export const SHOPIFY_TOKEN_HEADER = 'X-Shopify-Access-Token';

/**
 * A faithful MSW mock of one shop: `POST https://{shop}.myshopify.com/admin/oauth/access_token`
 * (form body, `grant_type=client_credentials`, client id and secret in the body; `shpat_` tokens
 * valid ~24 h, scope comma-separated, no token_type) and Admin API routes that read the token
 * from `X-Shopify-Access-Token` only.
 *
 * @example
 * ```ts
 * const shop = shopifyMock();
 * setupServer(...shop.handlers).listen({ onUnhandledFrame: 'error' });
 * ```
 */
export function shopifyMock(options: ShopifyMockOptions = {}): ClientCredentialsMock {
  const shop = options.shop ?? SHOPIFY_MOCK_DEFAULTS.shop;
  const apiOrigin = `https://${shop}.myshopify.com`;
  return clientCredentialsMock(options, {
    tokenUrl: `${apiOrigin}/admin/oauth/access_token`,
    apiOrigin,
    defaults: SHOPIFY_MOCK_DEFAULTS,
    // shopify.dev: the response's expires_in (86399 in its example): about 24 hours.
    lifetimeSeconds: 86_399,
    shape: {
      clientAuth: 'body',
      // Inferred: RFC 6749 §5.2 bodies, 400 for every code.
      error: (error, description) =>
        HttpResponse.json({ error, error_description: description }, { status: 400 }),
      acceptsScope: (scope) => /^(unauthenticated_)?(read|write)_[a-z_]+$/.test(scope),
      // The app's configured scopes are granted; the request names none.
      defaultScope: (client) => client.scopes?.join(' ') ?? 'read_products write_products',
      reportScope: (scopes) => scopes.join(','),
      accessToken: () => `shpat_${randomBytes(16).toString('hex')}`,
    },
    tokenOf: (request) => request.headers.get(SHOPIFY_TOKEN_HEADER),
    // Inferred from public clients: the Admin API's 401 body.
    unauthorized: () =>
      HttpResponse.json(
        { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
        { status: 401 },
      ),
    routes: [
      {
        method: 'get',
        path: '/admin/api/:version/shop.json',
        body: () => ({ shop: { name: shop, myshopify_domain: `${shop}.myshopify.com` } }),
      },
      {
        method: 'post',
        path: '/admin/api/:version/graphql.json',
        body: () => ({ data: { shop: { name: shop } } }),
      },
    ],
  });
}
