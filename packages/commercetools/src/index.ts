export type { CommercetoolsTokenManager } from './commercetools.ts';
export { commercetools } from './commercetools.ts';
export type { CommercetoolsOptions, CommercetoolsProviderOptions } from './options.ts';
export type { CommercetoolsProvider } from './provider.ts';
export { commercetoolsProvider } from './provider.ts';
export type { CommercetoolsRegion } from './regions.ts';
export { COMMERCETOOLS_REGIONS } from './regions.ts';
