// The sibling packages the fleet tests drive, in one place for the workers and the tests.

export { withAuth } from '@authwire/axios';
export type { ServedMock } from '@authwire/msw';
export { NORCE_MOCK_DEFAULTS, type NorceMock, norceMock, serveMock } from '@authwire/msw';
export { type NorceOptions, norce, norceProvider } from '@authwire/norce';
export { default as axios } from 'axios';
