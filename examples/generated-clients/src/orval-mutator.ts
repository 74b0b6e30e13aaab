// orval's axios clients send every request through a "mutator" you write: this one is an axios
// instance with authwire's interceptors, so every generated function carries the token and a 401
// is retried once. Point it at a manager once at start-up with `useNorceAuth(auth)`.
import { withAuth } from '@authwire/axios';
import type { NorceTokenManager } from '@authwire/norce';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';

let api: AxiosInstance | undefined;

/** Sends the generated functions' requests to `auth.baseUrl`, authorized by `auth`. */
export function useNorceAuth(auth: NorceTokenManager): void {
  api = withAuth(axios.create({ baseURL: auth.baseUrl, timeout: 10_000 }), auth);
}

/** The mutator orval.config.mjs names: the response body of one request. */
export async function norceRequest<T>(config: AxiosRequestConfig): Promise<T> {
  if (api === undefined) throw new Error('call useNorceAuth(auth) before the generated functions');
  const response = await api.request<T>(config);
  return response.data;
}
