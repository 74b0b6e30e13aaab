// @authwire/axios with axios-retry, installed before and after withAuth: the heal and the 5xx retries compose.
import { withAuth } from '@authwire/axios';
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { axiosDriver } from '../../drivers/axios.ts';
import {
  companionScenarios,
  companionServer,
  PLUGIN_RETRIES,
  RETRYING_PLUGIN,
} from './scenarios.ts';

const server = companionServer();

const retry = { retries: PLUGIN_RETRIES, retryDelay: () => 0 };

companionScenarios(
  server,
  'axios-retry installed first, then withAuth',
  (auth) => {
    const instance = axios.create();
    axiosRetry(instance, retry);
    return axiosDriver(withAuth(instance, auth));
  },
  RETRYING_PLUGIN,
);

companionScenarios(
  server,
  'withAuth first, then axios-retry',
  (auth) => {
    const instance = withAuth(axios.create(), auth);
    axiosRetry(instance, retry);
    return axiosDriver(instance);
  },
  RETRYING_PLUGIN,
);
