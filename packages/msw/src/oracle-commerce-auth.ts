// Oracle Commerce login / refresh / logout / verify resolvers for every API family.
import type { ResponseResolver } from 'msw';
import { HttpResponse } from 'msw/http';
import type { TokenBodyFailure } from './failures.ts';
import { decodeJwtPayload, makeFakeJwt, makeOpaqueToken } from './jwt.ts';
import type { IssuedToken, MockControl, MockController, MockCounters } from './mock-control.ts';

/** The API families with their own `/cc{family}/v1/login`. */
export type OracleApiFamily = 'ccadmin' | 'ccagent' | 'ccapp' | 'ccappagent';

/** All families, in the order the docs list them. */
export const ORACLE_API_FAMILIES: readonly OracleApiFamily[] = [
  'ccadmin',
  'ccagent',
  'ccapp',
  'ccappagent',
];

/** A token the Oracle Commerce mock issued. */
export interface OracleIssuedToken extends IssuedToken {
  /** The family whose login (or refresh) issued it; it is only valid there. */
  readonly family: OracleApiFamily;
  /** Which of the mock's application keys logged in (carried over by refresh). */
  readonly applicationKeyIndex: number;
}

/** Oracle Commerce counters. `tokenEndpointCalls` counts logins + refreshes. */
export interface OracleCommerceCounters extends MockCounters {
  readonly logins: number;
  readonly refreshes: number;
  readonly logouts: number;
  readonly verifies: number;
  /** 400/401 answers from login, refresh and logout. */
  readonly tokenErrors: number;
}

/**
 * Control object of {@link oracleCommerceMock}.
 *
 * @example
 * ```ts
 * const { control } = oracleCommerceMock();
 * control.failNext(1, 'html');
 * ```
 */
export type OracleCommerceMockControl = MockControl<OracleIssuedToken, OracleCommerceCounters>;

/**
 * `errorCode` values this mock answers with. Oracle does not publish the codes for these cases,
 * so they are deliberately recognisable as the mock's own.
 */
export const ORACLE_MOCK_ERROR_CODES: {
  readonly invalidApplicationKey: string;
  readonly invalidToken: string;
  readonly invalidGrantType: string;
} = {
  invalidApplicationKey: 'authwire-mock-invalid-application-key',
  invalidToken: 'authwire-mock-invalid-token',
  invalidGrantType: 'authwire-mock-invalid-grant-type',
};

/**
 * Oracle's error model: `{ message, status, errorCode }` with `status` as a string
 * (docs.oracle.com REST error messages, e.g. `"status": "400", "errorCode": "82001"`).
 */
export function oracleError(status: 400 | 401, errorCode: string, message: string): Response {
  return HttpResponse.json({ message, status: String(status), errorCode }, { status });
}

/** What the auth resolvers need from the mock. */
export interface OracleAuthContext {
  readonly controller: MockController<OracleIssuedToken, OracleCommerceCounters>;
  readonly applicationKeys: readonly string[];
  readonly includeExpiresIn: boolean;
  /** See `OracleCommerceMockOptions.refreshRevokesPrevious`. */
  readonly refreshRevokesPrevious: boolean;
}

function bearer(request: Request): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
}

/** Reads `grant_type` from a form body, or from the query (some public integrations send it there). */
async function grantType(request: Request): Promise<string | null> {
  const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/x-www-form-urlencoded') {
    const fromBody = new URLSearchParams(await request.text()).get('grant_type');
    if (fromBody !== null) return fromBody;
  }
  return new URL(request.url).searchParams.get('grant_type');
}

/** Issues a token and answers like Oracle: `{ access_token, token_type: 'bearer', expires_in? }`. */
function tokenResponse(
  context: OracleAuthContext,
  family: OracleApiFamily,
  applicationKeyIndex: number,
  failure: TokenBodyFailure | undefined,
): Response {
  const { controller, includeExpiresIn } = context;
  const lifetime = controller.clock.tokenLifetimeSeconds;
  const expiresIn: Record<string, unknown> =
    failure !== undefined && typeof failure === 'object'
      ? { expires_in: failure.expiresIn }
      : includeExpiresIn
        ? { expires_in: lifetime }
        : {};
  if (failure === 'missing-access-token') {
    return HttpResponse.json({ token_type: 'bearer', ...expiresIn });
  }
  const key = context.applicationKeys[applicationKeyIndex] ?? '';
  const subject = decodeJwtPayload(key)?.sub;
  const token = controller.issue(({ index, jti, issuedAt, expiresAt }) => {
    const accessToken =
      failure === 'not-jwt'
        ? makeOpaqueToken()
        : makeFakeJwt(
            {
              sub: typeof subject === 'string' ? subject : `application-${applicationKeyIndex}`,
              iss: 'adminUI',
              'com.oracle.atg.cloud.commerce.roles': ['admin'],
              iat: Math.floor(issuedAt / 1000),
              exp: Math.floor(expiresAt / 1000),
              jti,
            },
            // Oracle's examples: HS256 header, standard-base64 signature ending in '='.
            { header: { alg: 'HS256', typ: 'JWT' }, signature: 'base64' },
          );
    return { index, jti, issuedAt, expiresAt, accessToken, family, applicationKeyIndex };
  });
  return HttpResponse.json({ access_token: token.accessToken, token_type: 'bearer', ...expiresIn });
}

const invalidToken = (context: OracleAuthContext): Response => {
  context.controller.count('tokenErrors');
  return oracleError(401, ORACLE_MOCK_ERROR_CODES.invalidToken, 'Invalid or expired access token.');
};

/** The current token of a request when valid for `family`. */
function currentToken(context: OracleAuthContext, request: Request, family: OracleApiFamily) {
  const { state, token } = context.controller.check(request.headers.get('authorization'));
  return state === 'valid' && token?.family === family ? token : undefined;
}

/** `POST /{family}/v1/login` with `Authorization: Bearer <application key>`. */
export function oracleLoginResolver(
  context: OracleAuthContext,
  family: OracleApiFamily,
): ResponseResolver {
  const { controller } = context;
  return async ({ request }) => {
    const plan = await controller.startTokenCall('logins');
    if (plan.kind === 'respond') return plan.response;
    const key = bearer(request);
    const keyIndex = key === undefined ? -1 : context.applicationKeys.indexOf(key);
    if (keyIndex < 0) {
      controller.count('tokenErrors');
      return oracleError(
        401,
        ORACLE_MOCK_ERROR_CODES.invalidApplicationKey,
        'Missing or invalid application key.',
      );
    }
    if ((await grantType(request)) !== 'client_credentials') {
      controller.count('tokenErrors');
      return oracleError(
        400,
        ORACLE_MOCK_ERROR_CODES.invalidGrantType,
        'grant_type must be client_credentials.',
      );
    }
    return tokenResponse(
      context,
      family,
      keyIndex,
      plan.kind === 'token-body' ? plan.failure : undefined,
    );
  };
}

/**
 * `POST /{family}/v1/refresh`: a new token for a valid current one ("restarts the clock",
 * documented). Whether the old one stops working is undocumented: `refreshRevokesPrevious`
 * decides (default: it does). A refresh with an expired, revoked or unknown token answers 401.
 */
export function oracleRefreshResolver(
  context: OracleAuthContext,
  family: OracleApiFamily,
): ResponseResolver {
  const { controller } = context;
  return async ({ request }) => {
    const plan = await controller.startTokenCall('refreshes');
    if (plan.kind === 'respond') return plan.response;
    const token = currentToken(context, request, family);
    if (!token) return invalidToken(context);
    const failure = plan.kind === 'token-body' ? plan.failure : undefined;
    const response = tokenResponse(context, family, token.applicationKeyIndex, failure);
    if (context.refreshRevokesPrevious) controller.revoke(token.accessToken, 'refresh');
    return response;
  };
}

/** `POST /{family}/v1/logout` → `{ "result": true }`; the token stops working. */
export function oracleLogoutResolver(
  context: OracleAuthContext,
  family: OracleApiFamily,
): ResponseResolver {
  return ({ request }) => {
    context.controller.count('logouts');
    const token = currentToken(context, request, family);
    if (!token) return invalidToken(context);
    context.controller.revoke(token.accessToken, 'logout');
    return HttpResponse.json({ result: true });
  };
}

/** `POST /{family}/v1/verify` → `{ "success": bool }` for the bearer token. */
export function oracleVerifyResolver(
  context: OracleAuthContext,
  family: OracleApiFamily,
): ResponseResolver {
  return ({ request }) => {
    context.controller.count('verifies');
    return HttpResponse.json({ success: currentToken(context, request, family) !== undefined });
  };
}
