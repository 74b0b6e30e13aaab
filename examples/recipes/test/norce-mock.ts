// The Norce tenant every recipe test talks to: in-process MSW, NORCE_* set to its credentials.
import { NORCE_MOCK_DEFAULTS, norceMock } from '@authwire/msw';
import { setupServer } from 'msw/node';

export const NORCE_ENV = {
  NORCE_CLIENT_ID: NORCE_MOCK_DEFAULTS.clientId,
  NORCE_CLIENT_SECRET: NORCE_MOCK_DEFAULTS.clientSecret,
  NORCE_APPLICATION_ID: String(NORCE_MOCK_DEFAULTS.applicationId),
  NORCE_CLIENT_NAME: 'acme',
  NORCE_ENVIRONMENT: 'stage',
} as const;

/** An in-process mock of acme's stage tenant; unmocked requests fail. Call `close()` after. */
export function norceTenant() {
  const mock = norceMock({ clientName: 'acme', environment: 'stage' });
  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  return { mock, close: () => server.close() };
}
