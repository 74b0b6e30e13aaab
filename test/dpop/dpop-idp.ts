// oidc-provider 9 on loopback with DPoP on and nonces required at its token endpoint; counts what it served.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'dpop-client';
export const CLIENT_SECRET = 'dpop-secret-0123456789abcdef0123456789abcdef';
/** A client that authenticates with a signed assertion (private_key_jwt, ES256), whose `jti` the server never accepts twice. */
export const JWT_CLIENT_ID = 'dpop-jwt-client';

export interface DpopIdp {
  readonly issuer: string;
  readonly tokenUrl: string;
  /** The public key that signs access tokens (JWTs carrying `cnf.jkt`). */
  readonly signingKey: JWK;
  /** The private JWK of JWT_CLIENT_ID. */
  readonly clientKey: JWK;
  /** Successful token responses. */
  readonly tokens: () => number;
  /** Token errors answered, e.g. `use_dpop_nonce`. */
  readonly errors: string[];
  /** The `token_type` of each token issued. */
  readonly tokenTypes: string[];
  close(): Promise<void>;
}

/** Starts the provider; every access token is a JWT for `resource`, DPoP-bound. */
export async function startDpopIdp(resource: string): Promise<DpopIdp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const signingPrivate = { ...(await exportJWK(privateKey)), alg: 'RS256', kid: 'signing' };
  const signingKey = { ...(await exportJWK(publicKey)), alg: 'RS256', kid: 'signing' };
  const client = await generateKeyPair('ES256', { extractable: true });
  const clientKey = { ...(await exportJWK(client.privateKey)), alg: 'ES256', kid: 'client' };
  const clientPublic = { ...(await exportJWK(client.publicKey)), alg: 'ES256', kid: 'client' };
  let handler: ((req: never, res: never) => void) | undefined;
  const server = createServer((req, res) => handler?.(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'api:read',
        dpop_bound_access_tokens: true,
      },
      {
        client_id: JWT_CLIENT_ID,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [clientPublic] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'api:read',
        dpop_bound_access_tokens: true,
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['ES256'] },
    jwks: { keys: [signingPrivate] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => false,
        getResourceServerInfo: () => ({
          scope: 'api:read',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
        }),
      },
    },
    scopes: ['api:read'],
    ttl: { ClientCredentials: 600 },
  } as never);
  let tokens = 0;
  const errors: string[] = [];
  const tokenTypes: string[] = [];
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.path !== '/token' || !body) return;
    if (ctx.status === 200) {
      tokens++;
      tokenTypes.push(String(body.token_type));
    } else if (typeof body.error === 'string') errors.push(body.error);
  });
  handler = provider.callback() as never;
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    signingKey,
    clientKey,
    tokens: () => tokens,
    errors,
    tokenTypes,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
