// A tiny in-memory Oracle Commerce login/refresh/logout server behind an injected fetch.
import { json, type SeenRequest, type StubFetch, stubFetch } from '@authwire/test-support';
import { APP_KEY, jwt } from './jwt.ts';

export interface OccStubOptions {
  /** `expires_in` to answer with; `undefined` omits it (Oracle's documented answer has none). */
  expiresIn?: number;
  /** Put an `exp` claim (seconds from now) into issued tokens. */
  expClaimSeconds?: number;
  /** Answer /refresh with this error status instead of refreshing. */
  refreshStatus?: number;
  /** Answer /login with this error status (e.g. 401 after an application key reset). */
  loginStatus?: number;
  applicationKey?: string;
}

export interface OccStub extends StubFetch {
  readonly options: OccStubOptions;
  /** Tokens the server currently accepts. */
  readonly valid: Set<string>;
  paths(): string[];
}

function bearer(request: SeenRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
}

export function occStub(options: OccStubOptions = {}): OccStub {
  const valid = new Set<string>();
  let issued = 0;
  const issue = (): Response => {
    issued += 1;
    const now = Math.floor(Date.now() / 1000);
    const accessToken =
      options.expClaimSeconds === undefined
        ? `occ-token-${issued}`
        : jwt({ sub: 'app-40018', iat: now, exp: now + options.expClaimSeconds, n: issued });
    valid.add(accessToken);
    return json({
      access_token: accessToken,
      token_type: 'bearer',
      ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
    });
  };
  const unauthorized = (): Response =>
    json({ message: 'Unauthorized', status: '401', errorCode: '83037' }, 401);

  const stub = stubFetch((request) => {
    const path = new URL(request.url).pathname;
    const action = path.split('/').pop();
    if (request.method !== 'POST')
      return json({ message: 'Method not allowed', status: '405' }, 405);
    if (action === 'login') {
      if (options.loginStatus !== undefined) {
        return json(
          { message: 'Login failed', status: String(options.loginStatus), errorCode: '83001' },
          options.loginStatus,
        );
      }
      if (bearer(request) !== (options.applicationKey ?? APP_KEY)) return unauthorized();
      if (new URLSearchParams(request.body).get('grant_type') !== 'client_credentials') {
        return json({ message: 'Bad grant', status: '400', errorCode: '82001' }, 400);
      }
      return issue();
    }
    const token = bearer(request);
    if (action === 'refresh') {
      if (options.refreshStatus !== undefined) {
        return json(
          { message: 'Refresh refused', status: String(options.refreshStatus) },
          options.refreshStatus,
        );
      }
      if (token === undefined || !valid.has(token)) return unauthorized();
      // A refresh invalidates the previous token.
      valid.delete(token);
      return issue();
    }
    if (action === 'logout') {
      if (token === undefined || !valid.has(token)) return unauthorized();
      valid.delete(token);
      return json({ result: true });
    }
    return json({ message: 'Not found', status: '404' }, 404);
  });
  return {
    ...stub,
    options,
    valid,
    paths: () => stub.requests.map((r) => new URL(r.url).pathname),
  };
}
