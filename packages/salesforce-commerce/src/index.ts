export type {
  SalesforceAdminOptions,
  SalesforceAdminProvider,
  SalesforceAdminProviderOptions,
  SalesforceAdminTokenManager,
} from './admin.ts';
export { ACCOUNT_MANAGER_TOKEN_URL, salesforceAdmin, salesforceAdminProvider } from './admin.ts';
export type {
  SalesforceShopperOptions,
  SalesforceShopperProvider,
  SalesforceShopperProviderOptions,
  SalesforceShopperTokenManager,
} from './shopper.ts';
export { salesforceShopper, salesforceShopperProvider } from './shopper.ts';
