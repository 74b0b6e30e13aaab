// Every `authwire token <platform>`: the platform's name → how its preset is built from flags and variables.
import {
  commercetoolsTarget,
  salesforceAdminTarget,
  salesforceShopperTarget,
  shopifyTarget,
} from './commerce-targets.ts';
import type { Flags } from './flags.ts';
import { norceTarget, oracleTarget, type Target } from './providers.ts';

export const TARGETS: Readonly<Record<string, (flags: Flags, env: NodeJS.ProcessEnv) => Target>> = {
  norce: norceTarget,
  oracle: oracleTarget,
  commercetools: commercetoolsTarget,
  'salesforce-admin': salesforceAdminTarget,
  'salesforce-shopper': salesforceShopperTarget,
  shopify: shopifyTarget,
};
