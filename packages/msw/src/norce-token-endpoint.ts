// The Norce identity server's token endpoint (client credentials), IdentityServer-style errors.
import type { ResponseResolver } from 'msw';
import { HttpResponse } from 'msw/http';
import type { TokenBodyFailure } from './failures.ts';
import { makeFakeJwt, makeOpaqueToken } from './jwt.ts';
import type { IssuedToken, MockControl, MockController, MockCounters } from './mock-control.ts';
import type { TokenBucketLimiter } from './rate-limit.ts';

/**
 * An OAuth2 integration user of the Norce mock.
 *
 * @example
 * ```ts
 * norceMock({ clients: [{ clientId: 'app', clientSecret: 's3cret', applicationIds: [1234] }] });
 * ```
 */
export interface NorceClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Application ids this user may call with; any numeric id when omitted. */
  readonly applicationIds?: readonly number[];
  /** Scopes this user may request; the environment's accepted spellings when omitted. */
  readonly scopes?: readonly string[];
}

/** A token the Norce mock issued. */
export interface NorceIssuedToken extends IssuedToken {
  readonly clientId: string;
  /** The granted scope, space-delimited, as echoed in the response. */
  readonly scope: string;
}

/** Norce counters. */
export interface NorceCounters extends MockCounters {
  /** Requests to the token endpoint; equals `tokenEndpointCalls` (Norce has one token endpoint). */
  readonly tokenRequests: number;
  /** OAuth error answers (400) from the token endpoint. */
  readonly tokenErrors: number;
}

/**
 * Control object of {@link norceMock}.
 *
 * @example
 * ```ts
 * const { control } = norceMock();
 * control.revokeAll();
 * ```
 */
export type NorceMockControl = MockControl<NorceIssuedToken, NorceCounters>;

/** What the token endpoint needs from the mock. */
export interface NorceTokenEndpointContext {
  readonly controller: MockController<NorceIssuedToken, NorceCounters>;
  readonly clients: readonly NorceClient[];
  readonly acceptedScopes: readonly string[];
  readonly limiter: TokenBucketLimiter | undefined;
  readonly issuer: string;
}

// RFC 6749 §5.1: token responses carry no-store and Pragma: no-cache; IdentityServer sets both.
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

// Grants IdentityServer knows: a client not allowed one gets unauthorized_client; unknown or
// missing grants get unsupported_grant_type (IdentityServer4 TokenRequestValidator.cs).
const KNOWN_GRANTS = new Set([
  'authorization_code',
  'password',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
]);

function isFormContentType(value: string | null): boolean {
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** Creates the resolver for `ALL {tokenUrl}`. */
export function norceTokenResolver(context: NorceTokenEndpointContext): ResponseResolver {
  const { controller, clients, acceptedScopes, limiter, issuer } = context;

  const oauthError = (error: string, description?: string): Response => {
    controller.count('tokenErrors');
    const body = description === undefined ? { error } : { error, error_description: description };
    // IdentityServer answers every token error with 400 (incl. invalid_client).
    return HttpResponse.json(body, { status: 400, headers: NO_STORE });
  };

  return async ({ request }) => {
    const plan = await controller.startTokenCall('tokenRequests');
    if (plan.kind === 'respond') return plan.response;

    const decision = limiter?.take(request);
    if (decision && !decision.allowed) {
      controller.count('tokenEndpoint429s');
      // Norce documents the 429 but no body; Retry-After is this mock's courtesy.
      return new HttpResponse(null, {
        status: 429,
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }

    // IdentityServer4 TokenEndpoint.cs: non-POST or non-form requests → 400 invalid_request.
    if (request.method !== 'POST' || !isFormContentType(request.headers.get('content-type'))) {
      return oauthError('invalid_request');
    }
    const form = new URLSearchParams(await request.text());

    // Client authentication comes first; Norce documents credentials in the body.
    const client = clients.find((candidate) => candidate.clientId === form.get('client_id'));
    if (!client || client.clientSecret !== form.get('client_secret')) {
      return oauthError('invalid_client');
    }

    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      return oauthError(
        grantType && KNOWN_GRANTS.has(grantType) ? 'unauthorized_client' : 'unsupported_grant_type',
      );
    }

    const allowed = (client.scopes ?? acceptedScopes).filter((s) => acceptedScopes.includes(s));
    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    if (requested.some((scope) => !allowed.includes(scope))) return oauthError('invalid_scope');
    // IdentityServer grants all of the client's allowed scopes when none is requested.
    const granted = requested.length > 0 ? requested : allowed;
    const scope = granted.join(' ');

    const clientId = client.clientId;
    return tokenResponse(plan.kind === 'token-body' ? plan.failure : undefined);

    function tokenResponse(failure: TokenBodyFailure | undefined): Response {
      const expiresIn = controller.clock.tokenLifetimeSeconds;
      if (failure === 'missing-access-token') {
        return HttpResponse.json(
          { expires_in: expiresIn, token_type: 'Bearer', scope },
          { headers: NO_STORE },
        );
      }
      const token = controller.issue(({ index, jti, issuedAt, expiresAt }) => {
        const iat = Math.floor(issuedAt / 1000);
        const accessToken =
          failure === 'not-jwt'
            ? makeOpaqueToken()
            : makeFakeJwt(
                {
                  iss: issuer,
                  nbf: iat,
                  iat,
                  exp: Math.floor(expiresAt / 1000),
                  aud: 'commerce',
                  client_id: clientId,
                  jti,
                  scope: granted,
                },
                // Header shape of the seed's example token (RS256, at+jwt).
                { header: { alg: 'RS256', kid: 'authwire-mock', typ: 'at+jwt' } },
              );
        return { index, jti, issuedAt, expiresAt, accessToken, clientId, scope };
      });
      const reported =
        failure !== undefined && typeof failure === 'object' ? failure.expiresIn : expiresIn;
      return HttpResponse.json(
        { access_token: token.accessToken, expires_in: reported, token_type: 'Bearer', scope },
        { headers: NO_STORE },
      );
    }
  };
}
