export type { OracleCommerceApi } from './api.ts';
export { ORACLE_COMMERCE_APIS, oracleCommerceApiPath } from './api.ts';
export type { OracleCommerceOptions, OracleCommerceProviderOptions } from './options.ts';
export type { OracleCommerceTokenManager } from './oracle-commerce.ts';
export { oracleCommerce } from './oracle-commerce.ts';
export { parseOracleError } from './parse-error.ts';
export type { OracleCommerceProvider } from './provider.ts';
export { ORACLE_COMMERCE_DEFAULT_LIFETIME_MS, oracleCommerceProvider } from './provider.ts';
