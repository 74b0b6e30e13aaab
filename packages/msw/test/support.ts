// Shared test helpers: one MSW server per file and token-request shortcuts.
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { NORCE_MOCK_DEFAULTS, type NorceMock, type OracleCommerceMock } from '../src/index.ts';

/** Starts one MSW server for the file (`onUnhandledFrame: 'error'`); `use` swaps in a mock's handlers. */
export function useMsw(): { use(mock: { handlers: HttpHandler[] }): void } {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { use: (mock) => server.resetHandlers(...mock.handlers) };
}

export const NORCE_CREDENTIALS: Record<string, string> = {
  grant_type: 'client_credentials',
  client_id: NORCE_MOCK_DEFAULTS.clientId,
  client_secret: NORCE_MOCK_DEFAULTS.clientSecret,
  scope: 'playground',
};

/** POSTs a form to the Norce token endpoint (`fields` override the default credentials). */
export function norceToken(
  mock: NorceMock,
  fields: Record<string, string | undefined> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...NORCE_CREDENTIALS, ...fields })) {
    if (value !== undefined) form.set(name, value);
  }
  return fetch(mock.tokenUrl, { method: 'POST', body: form, headers });
}

/** Gets a Norce access token or fails the test. */
export async function norceAccessToken(mock: NorceMock): Promise<string> {
  const response = await norceToken(mock);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Calls a Norce service with a token and application id. */
export function norceApi(
  mock: NorceMock,
  path: string,
  token: string | null,
  /** `null` sends no application id. */
  applicationId: string | null = String(NORCE_MOCK_DEFAULTS.applicationId),
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (applicationId !== null) headers.ApplicationId = applicationId;
  return fetch(`${mock.apiOrigin}${path}`, { headers });
}

/** Logs in to an Oracle Commerce family with the mock's first application key. */
export function oracleLogin(
  mock: OracleCommerceMock,
  family: Parameters<OracleCommerceMock['url']>[0] = 'ccadmin',
  /** `null` sends no Authorization header. */
  key: string | null = mock.applicationKeys[0] ?? null,
): Promise<Response> {
  return fetch(mock.url(family, 'login'), {
    method: 'POST',
    headers: key === null ? {} : { Authorization: `Bearer ${key}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
}

export async function oracleAccessToken(
  mock: OracleCommerceMock,
  family: Parameters<OracleCommerceMock['url']>[0] = 'ccadmin',
): Promise<string> {
  const response = await oracleLogin(mock, family);
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Decodes a base64url / base64 JWT segment to JSON. */
export function segment(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
}
