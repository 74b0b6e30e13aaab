// A real OpenID provider (oidc-provider 9) on a loopback port, with the clients the grant tests use, and counters of what it served.
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const API = 'https://api.example.test';
export const OTHER_API = 'https://other.example.test';
export const ACCOUNT = 'account-1';

/** A client's private key (as the client holds it) and the public one the server registers. */
export interface KeyPair {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export interface Idp {
  readonly issuer: string;
  readonly port: number;
  readonly keys: Readonly<Record<'RS256' | 'PS256' | 'ES256' | 'EdDSA', KeyPair>>;
  /** A key no client registered. */
  readonly strangerKey: KeyPair;
  readonly secrets: { readonly hs256: string; readonly basic: string; readonly refresh: string };
  /** Requests for each metadata document. */
  readonly metadataRequests: () => number;
  /** Successful token responses, per grant type. */
  readonly grants: Map<string, number>;
  /** Refresh tokens the server issued, in order (the seeded one first). */
  readonly refreshTokens: string[];
  /** Grants the server revoked (refresh-token reuse detection). */
  readonly revokedGrants: string[];
  /** Token errors the server answered, e.g. `invalid_grant`. */
  readonly errors: string[];
  /** A new grant with a refresh token for the refresh-token client. */
  seedRefreshToken(): Promise<string>;
  close(): Promise<void>;
}

async function keyPair(alg: string, crv?: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(crv ? { crv } : {}),
  });
  return {
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), alg, kid: `${alg}-key` },
  };
}

/** Starts the provider; `accessTokenTtl` (s) is the life of refresh-grant access tokens. */
export async function startIdp(options: { accessTokenTtl?: number } = {}): Promise<Idp> {
  const [rs, ps, es, ed, stranger, signing] = await Promise.all([
    keyPair('RS256'),
    keyPair('PS256'),
    keyPair('ES256'),
    keyPair('EdDSA', 'Ed25519'),
    keyPair('RS256'),
    keyPair('RS256'),
  ]);
  const secrets = {
    hs256: 'hs256-secret-0123456789abcdef0123456789abcdef',
    basic: 'basic-secret-0123456789abcdef0123456789abcdef',
    refresh: 'refresh-secret-0123456789abcdef0123456789abcdef',
  };
  const jwtClient = (id: string, pair: KeyPair, alg: string) => ({
    client_id: id,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: alg,
    jwks: { keys: [pair.publicJwk] },
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: 'api:read',
  });
  // The port is needed in the issuer before listening: listen first, then build the provider.
  const { createServer } = await import('node:http');
  let handler: ((req: never, res: never) => void) | undefined;
  const server = createServer((req, res) => handler?.(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const accessTokenTtl = options.accessTokenTtl ?? 4;

  const provider = new Provider(issuer, {
    clients: [
      jwtClient('cc-rs256', rs, 'RS256'),
      jwtClient('cc-ps256', ps, 'PS256'),
      jwtClient('cc-es256', es, 'ES256'),
      jwtClient('cc-eddsa', ed, 'EdDSA'),
      {
        client_id: 'cc-hs256',
        client_secret: secrets.hs256,
        token_endpoint_auth_method: 'client_secret_jwt',
        token_endpoint_auth_signing_alg: 'HS256',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'api:read',
      },
      {
        client_id: 'cc-basic',
        client_secret: secrets.basic,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'api:read',
      },
      {
        client_id: 'rt-client',
        client_secret: secrets.refresh,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['https://client.example.test/cb'],
      },
    ],
    jwks: { keys: [signing.privateJwk] },
    clientAuthMethods: [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
    ],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'],
    },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: 'api:read',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 60,
        }),
      },
    },
    scopes: ['openid', 'offline_access', 'api:read'],
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: 60,
      RefreshToken: 3600,
      Grant: 3600,
      IdToken: 3600,
    },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id }),
    }),
  } as never);

  let metadata = 0;
  const grants = new Map<string, number>();
  const refreshTokens: string[] = [];
  const revokedGrants: string[] = [];
  const errors: string[] = [];
  provider.use(async (ctx, next) => {
    if (ctx.path.startsWith('/.well-known/')) metadata++;
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.path === '/token' && ctx.status === 200 && body) {
      const grantType =
        (ctx as unknown as { oidc?: { params?: { grant_type?: string } } }).oidc?.params
          ?.grant_type ?? '?';
      grants.set(grantType, (grants.get(grantType) ?? 0) + 1);
      if (typeof body.refresh_token === 'string') refreshTokens.push(body.refresh_token);
    } else if (ctx.path === '/token' && body && typeof body.error === 'string') {
      errors.push(body.error);
    }
  });
  provider.on('grant.revoked', (_ctx: unknown, grantId: string) => revokedGrants.push(grantId));
  const callback = provider.callback();
  handler = callback as never;

  return {
    issuer,
    port,
    keys: { RS256: rs, PS256: ps, ES256: es, EdDSA: ed },
    strangerKey: stranger,
    secrets,
    metadataRequests: () => metadata,
    grants,
    refreshTokens,
    revokedGrants,
    errors,
    async seedRefreshToken() {
      const client = await provider.Client.find('rt-client');
      const grant = new provider.Grant({ accountId: ACCOUNT, clientId: 'rt-client' });
      grant.addOIDCScope('openid offline_access');
      const grantId = await grant.save();
      const token = new provider.RefreshToken({
        accountId: ACCOUNT,
        client,
        grantId,
        scope: 'openid offline_access',
        gty: 'authorization_code',
        authTime: Math.floor(Date.now() / 1000),
      } as never);
      const value = await token.save();
      refreshTokens.push(value);
      return value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
