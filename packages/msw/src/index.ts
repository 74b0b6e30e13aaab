// Public API of @authwire/msw: faithful MSW mocks of Norce, Oracle Commerce Cloud, commercetools, Salesforce B2C Commerce and Shopify.

export type {
  ClientCredentialsCounters,
  ClientCredentialsMockControl,
  ClientIssuedToken,
  MockClient,
} from './client-credentials-endpoint.ts';
export type {
  ClientCredentialsMock,
  ClientCredentialsMockOptions,
} from './client-credentials-mock.ts';
export type { CommercetoolsMockOptions } from './commercetools-mock.ts';
export { COMMERCETOOLS_MOCK_DEFAULTS, commercetoolsMock } from './commercetools-mock.ts';
export type { EchoResponse } from './echo.ts';
export { ECHO_PATH } from './echo.ts';
export type {
  ApiFailure,
  TokenBodyFailure,
  TokenEndpointFailure,
  TransportFailure,
} from './failures.ts';
export type { JwtClaims, SignatureEncoding } from './jwt.ts';
export { decodeJwtPayload, makeFakeJwt, makeOracleApplicationKey } from './jwt.ts';
export type { ManualClock } from './manual-clock.ts';
export { manualClock } from './manual-clock.ts';
export type {
  ApiRequestRecord,
  IssuedToken,
  MockControl,
  MockCounters,
  RevocationReason,
  TokenCheck,
} from './mock-control.ts';
export type { NorceMock, NorceMockOptions } from './norce-mock.ts';
export { NORCE_MOCK_DEFAULTS, norceMock } from './norce-mock.ts';
export type {
  NorceClient,
  NorceCounters,
  NorceIssuedToken,
  NorceMockControl,
} from './norce-token-endpoint.ts';
export type { NorceEnvironment, NorceLocation } from './norce-urls.ts';
export { norceAcceptedScopes, norceApiOrigin, norceTokenUrl } from './norce-urls.ts';
export type {
  OracleApiFamily,
  OracleCommerceCounters,
  OracleCommerceMockControl,
  OracleIssuedToken,
} from './oracle-commerce-auth.ts';
export { ORACLE_API_FAMILIES, ORACLE_MOCK_ERROR_CODES } from './oracle-commerce-auth.ts';
export type { OracleCommerceMock, OracleCommerceMockOptions } from './oracle-commerce-mock.ts';
export { oracleCommerceMock } from './oracle-commerce-mock.ts';
export type { RateLimitOptions } from './rate-limit.ts';
export type { SalesforceCommerceMockOptions } from './salesforce-commerce-mock.ts';
export {
  ACCOUNT_MANAGER_TOKEN_URL,
  SALESFORCE_MOCK_DEFAULTS,
  salesforceAdminMock,
  salesforceShopperMock,
} from './salesforce-commerce-mock.ts';
export type { HandlerSource, ServedMock, ServeMockOptions } from './serve-mock.ts';
export { serveMock } from './serve-mock.ts';
export type { ShopifyMockOptions } from './shopify-mock.ts';
export { SHOPIFY_MOCK_DEFAULTS, SHOPIFY_TOKEN_HEADER, shopifyMock } from './shopify-mock.ts';
