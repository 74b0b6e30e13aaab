// One RFC 6749 §4.4 token endpoint, shaped per platform (client authentication, errors, extra
// parameters, response fields): the commercetools, Salesforce and Shopify mocks each configure it.
import type { ResponseResolver } from 'msw';
import { HttpResponse } from 'msw/http';
import type { TokenBodyFailure } from './failures.ts';
import type { IssuedToken, MockControl, MockController, MockCounters } from './mock-control.ts';
import type { TokenBucketLimiter } from './rate-limit.ts';

/**
 * An API client a mock knows.
 *
 * @example
 * ```ts
 * commercetoolsMock({ clients: [{ clientId: 'app', clientSecret: 's3cret', scopes: ['view_products:shop'] }] });
 * ```
 */
export interface MockClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes this client may get; any scope the mock accepts when omitted. */
  readonly scopes?: readonly string[];
}

/** A token one of the client-credentials mocks issued. */
export interface ClientIssuedToken extends IssuedToken {
  readonly clientId: string;
  /** The granted scope as the response reported it. */
  readonly scope: string;
}

/** Counters of the client-credentials mocks. */
export interface ClientCredentialsCounters extends MockCounters {
  /** Requests to the token endpoint; equals `tokenEndpointCalls`. */
  readonly tokenRequests: number;
  /** Error answers (4xx other than 429) from the token endpoint. */
  readonly tokenErrors: number;
}

/**
 * Control object of the commercetools, Salesforce Commerce and Shopify mocks.
 *
 * @example
 * ```ts
 * const { control } = shopifyMock();
 * control.revokeAll();
 * ```
 */
export type ClientCredentialsMockControl = MockControl<
  ClientIssuedToken,
  ClientCredentialsCounters
>;

/** How a platform's token endpoint behaves. */
export interface EndpointShape {
  /** Where the client credentials must be: a Basic header, the form body, or either. */
  readonly clientAuth: 'basic' | 'body' | 'either';
  /** The platform's error answer for an OAuth error code. */
  readonly error: (code: OAuthErrorCode, description: string) => Response;
  /** Form parameters the platform requires besides grant_type (SLAS: `channel_id`). */
  readonly requiredParams?: readonly string[];
  /** Scopes the endpoint grants; a request for another is `invalid_scope`. */
  readonly acceptsScope: (scope: string) => boolean;
  /** The scope granted when none is requested; `undefined` makes a scope required. */
  readonly defaultScope?: (client: MockClient) => string;
  /** How the response spells the granted scope (Shopify: comma-separated). */
  readonly reportScope?: (scopes: readonly string[]) => string;
  /** The access token for an issued token (a JWT, or `shpat_…`). */
  readonly accessToken: (issued: {
    readonly jti: string;
    readonly clientId: string;
    readonly scope: string;
    readonly issuedAt: number;
    readonly expiresAt: number;
  }) => string;
  /** Fields of the success body besides access_token, expires_in and scope. */
  readonly extraFields?: (form: URLSearchParams) => Record<string, unknown>;
  /** `token_type` of the success body; omitted when undefined (Shopify sends none). */
  readonly tokenType?: string;
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export interface EndpointContext {
  readonly controller: MockController<ClientIssuedToken, ClientCredentialsCounters>;
  readonly clients: readonly MockClient[];
  readonly limiter: TokenBucketLimiter | undefined;
  readonly shape: EndpointShape;
}

// RFC 6749 §5.1: a token response is not cached.
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** The client id and secret of a `Basic` header (RFC 6749 §2.3.1: each part form-encoded). */
function basicCredentials(header: string | null): [string, string] | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const part = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  try {
    return [part(decoded.slice(0, colon)), part(decoded.slice(colon + 1))];
  } catch {
    return undefined;
  }
}

function isForm(request: Request): boolean {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded';
}

/** Creates the resolver for `ALL {tokenUrl}`. */
export function clientCredentialsResolver(context: EndpointContext): ResponseResolver {
  const { controller, clients, limiter, shape } = context;
  const fail = (code: OAuthErrorCode, description: string): Response => {
    controller.count('tokenErrors');
    return shape.error(code, description);
  };

  return async ({ request }) => {
    const plan = await controller.startTokenCall('tokenRequests');
    if (plan.kind === 'respond') return plan.response;
    const decision = limiter?.take(request);
    if (decision && !decision.allowed) {
      controller.count('tokenEndpoint429s');
      return new HttpResponse(null, {
        status: 429,
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
    if (request.method !== 'POST' || !isForm(request)) {
      return fail('invalid_request', 'POST a form-encoded body');
    }
    const form = new URLSearchParams(await request.text());

    const basic = basicCredentials(request.headers.get('authorization'));
    const inBody = form.has('client_id')
      ? [form.get('client_id'), form.get('client_secret')]
      : undefined;
    const given =
      shape.clientAuth === 'basic'
        ? basic
        : shape.clientAuth === 'body'
          ? inBody
          : (basic ?? inBody);
    const client = clients.find((c) => c.clientId === given?.[0]);
    if (!client || client.clientSecret !== given?.[1]) {
      return fail('invalid_client', 'Client authentication failed');
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return fail('unsupported_grant_type', 'Only client_credentials is supported here');
    }
    const missing = shape.requiredParams?.find((name) => !form.get(name));
    if (missing) return fail('invalid_request', `Required parameter '${missing}' is missing`);

    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const allowed = (scope: string) =>
      shape.acceptsScope(scope) && (client.scopes === undefined || client.scopes.includes(scope));
    if (requested.some((scope) => !allowed(scope))) {
      return fail('invalid_scope', 'A requested scope is not allowed for this client');
    }
    const defaulted = shape.defaultScope?.(client);
    if (requested.length === 0 && defaulted === undefined) {
      return fail('invalid_scope', 'A scope is required');
    }
    const granted = requested.length > 0 ? requested : (defaulted as string).split(' ');
    const scope = shape.reportScope ? shape.reportScope(granted) : granted.join(' ');
    return respond(plan.kind === 'token-body' ? plan.failure : undefined);

    function respond(failure: TokenBodyFailure | undefined): Response {
      const expiresIn = controller.clock.tokenLifetimeSeconds;
      const typed = shape.tokenType === undefined ? {} : { token_type: shape.tokenType };
      const extra = shape.extraFields?.(form) ?? {};
      if (failure === 'missing-access-token') {
        return HttpResponse.json({ ...typed, expires_in: expiresIn, scope }, { headers: NO_STORE });
      }
      const clientId = (client as MockClient).clientId;
      const token = controller.issue((base) => ({
        ...base,
        clientId,
        scope,
        accessToken: shape.accessToken({ ...base, clientId, scope }),
      }));
      const reported =
        failure !== undefined && typeof failure === 'object' ? failure.expiresIn : expiresIn;
      return HttpResponse.json(
        { access_token: token.accessToken, ...typed, expires_in: reported, scope, ...extra },
        { headers: NO_STORE },
      );
    }
  };
}
