// @authwire/got with got's own `retry` option on: the heal and got's 5xx retries compose.
import { withAuth } from '@authwire/got';
import got, { HTTPError } from 'got';
import { gotDriver } from '../../drivers/got.ts';
import {
  companionScenarios,
  companionServer,
  PLUGIN_RETRIES,
  RETRYING_PLUGIN,
} from './scenarios.ts';

const server = companionServer();

companionScenarios(
  server,
  "got's retry option",
  (auth) =>
    gotDriver(
      withAuth(
        got.extend({
          // got's default statuses (408, 413, 429, 5xx); no wait between attempts.
          retry: {
            limit: PLUGIN_RETRIES,
            calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0),
          },
          responseType: 'json',
        }),
        auth,
      ),
      { HTTPError, bytes: (buffer) => new Uint8Array(buffer) },
    ),
  RETRYING_PLUGIN,
);
