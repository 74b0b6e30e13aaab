// Behind a corporate proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY): token requests go through the
// `fetch` the token manager uses, API requests through your client's own transport, and both
// must be pointed at the proxy.
import type { AxiosRequestConfig } from 'axios';
import type { Agents } from 'got';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { type Dispatcher, EnvHttpProxyAgent, ProxyAgent, setGlobalDispatcher } from 'undici';

/**
 * Every `fetch` in the process honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY: the manager's token
 * requests (it uses `globalThis.fetch` unless given `fetch`), `authFetch`, ky and openapi-fetch.
 * Call it once at start-up. On Node ≥ 24 `NODE_USE_ENV_PROXY=1` does the same without undici.
 */
export function proxyAllFetchFromEnv(): Dispatcher {
  const agent = new EnvHttpProxyAgent();
  setGlobalDispatcher(agent);
  return agent;
}

/**
 * A `fetch` through one proxy, leaving the rest of the process alone: pass it as the manager's
 * `fetch` option (token requests) and to `authFetch(auth, proxiedFetch(url))` (API requests).
 */
export function proxiedFetch(proxyUrl: string): typeof fetch {
  const dispatcher = new ProxyAgent(proxyUrl);
  // `dispatcher` is undici's extension of RequestInit, honoured by Node's fetch.
  return (input, init) => fetch(input, { ...init, dispatcher } as RequestInit);
}

/**
 * axios: its own `proxy` option does not tunnel HTTPS through CONNECT; turn it off and give it a
 * proxy agent for both schemes instead. Spread into `axios.create({ ...axiosProxy(url), … })`.
 */
export function axiosProxy(
  proxyUrl: string,
): Pick<AxiosRequestConfig, 'proxy' | 'httpAgent' | 'httpsAgent'> {
  const agent = new HttpsProxyAgent(proxyUrl);
  return { proxy: false, httpAgent: agent, httpsAgent: agent };
}

/** got: `got.extend({ agent: gotProxyAgents(url) })`. */
export function gotProxyAgents(proxyUrl: string): Agents {
  const agent = new HttpsProxyAgent(proxyUrl);
  return { http: agent, https: agent };
}
