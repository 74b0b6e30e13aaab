// @authwire/ky with ky's own `retry` option on: the heal and ky's 5xx retries compose.
import { withAuth } from '@authwire/ky';
import ky, { isHTTPError } from 'ky';
import { kyDriver } from '../../drivers/ky.ts';
import {
  companionScenarios,
  companionServer,
  PLUGIN_RETRIES,
  RETRYING_PLUGIN,
} from './scenarios.ts';

const server = companionServer();

companionScenarios(
  server,
  "ky's retry option",
  (auth) =>
    kyDriver(withAuth(ky.create({ retry: { limit: PLUGIN_RETRIES, delay: () => 0 } }), auth), {
      httpError: async (error) =>
        isHTTPError(error) ? { status: error.response.status, body: error.data, error } : undefined,
    }),
  RETRYING_PLUGIN,
);
