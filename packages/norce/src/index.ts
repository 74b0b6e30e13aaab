export type { NorceEnvironment } from './environment.ts';
export { defaultNorceScope, NORCE_ENVIRONMENTS } from './environment.ts';
export type { NorceTokenManager } from './norce.ts';
export { norce } from './norce.ts';
export type { NorceOptions, NorceProviderOptions } from './options.ts';
export type { NorceProvider } from './provider.ts';
export { norceProvider } from './provider.ts';
export {
  DEFAULT_APPLICATION_ID_HEADER,
  DEFAULT_NORCE_REGION,
  STORM_TOKEN_URL,
} from './resolve-options.ts';
