// Runs one protected API call: injected failure, bearer check, platform checks, answer, record.
import type { IssuedToken, MockController, MockCounters, TokenCheck } from './mock-control.ts';

/** The platform-specific parts of a protected API call. */
export interface ApiCallSteps<TToken extends IssuedToken> {
  /** The platform's 401 for a missing, unknown, expired or revoked token. */
  readonly unauthorized: (state: TokenCheck) => Response;
  /** Further checks on a valid token (application id, api family); a response ends the call. */
  readonly authorize?: (token: TToken, request: Request) => Response | undefined;
  /** The access token a request carries, when not `Authorization: Bearer` (Shopify's header). */
  readonly tokenOf?: (request: Request) => string | null;
  /** The answer for an authorized call. */
  readonly respond: (token: TToken, request: Request) => Response | Promise<Response>;
}

function statusOf(response: Response): number {
  // HttpResponse.error() is a network error: type "error", status 0.
  return response.type === 'error' ? 0 : response.status;
}

/** Handles a protected API request against the controller's token registry. */
export async function runApiCall<TToken extends IssuedToken, TCounters extends MockCounters>(
  controller: MockController<TToken, TCounters>,
  request: Request,
  steps: ApiCallSteps<TToken>,
): Promise<Response> {
  controller.count('apiCalls');
  const { state, token } = steps.tokenOf
    ? controller.checkToken(steps.tokenOf(request))
    : controller.check(request.headers.get('authorization'));
  const tokenIndex = token?.index ?? null;
  const finish = (response: Response): Response => {
    controller.recordApi(request, tokenIndex, state, statusOf(response));
    return response;
  };

  const plan = await controller.takeApiFailure();
  if (plan.kind === 'respond') return finish(plan.response);
  if (plan.kind === 'unauthorized') return finish(steps.unauthorized('revoked'));

  if (state !== 'valid' || token === undefined) return finish(steps.unauthorized(state));
  const denied = steps.authorize?.(token, request);
  if (denied) return finish(denied);
  return finish(await steps.respond(token, request));
}
