// ky 1 has no init hooks, so there the adapter works through beforeRequest / afterResponse.
import { type Authorization, isReplayableBody, type TokenManager } from '@authwire/core';

type Send = (request: Request) => Promise<Response>;

export interface HookOptions {
  readonly body?: unknown;
  readonly context?: Record<PropertyKey, unknown>;
  readonly signal?: AbortSignal | null;
  readonly fetch?: Send;
  readonly timeout?: number | false;
}

export interface HookState {
  request: Request;
  options: HookOptions;
  response?: Response;
  error?: Error;
}

interface Call {
  authorization: Authorization;
  /** An unsent copy for the one retry; absent for one-shot (stream) bodies. */
  spare: Request | undefined;
}

/** ky 2 hands hooks one state object; ky 1 positional arguments (or the error alone). */
export function hookState(args: unknown[]): HookState {
  const [first, options, response] = args;
  if (first instanceof Request)
    return {
      request: first,
      options: options as HookOptions,
      ...(response instanceof Response ? { response } : {}),
    };
  if (first instanceof Error) return { ...(first as Error & HookState), error: first };
  return first as HookState;
}

export interface Ky1Hooks {
  beforeRequest(...args: unknown[]): Promise<void>;
  afterResponse(...args: unknown[]): Promise<Response | undefined>;
  /** What was attached to the request of `state`, for redaction. */
  sent(state: HookState): Authorization | undefined;
}

export function ky1Hooks(auth: TokenManager): Ky1Hooks {
  // Keyed by ky's per-request signal: later hooks may see a clone of the request.
  const calls = new WeakMap<object, Call>();
  const keyOf = ({ request, options }: HookState): object => options?.signal ?? request;
  const timeoutOf = ({ timeout }: HookOptions): number | undefined =>
    typeof timeout === 'number' ? timeout : undefined;

  return {
    async beforeRequest(...args) {
      const current = hookState(args);
      const { request, options } = current;
      if (options.context?.authwire === false || !auth.allows(request.url)) return;
      const authorization = await auth.authorize(request.url, {
        signal: request.signal,
        timeoutMs: timeoutOf(options),
      });
      if (!authorization) return;
      for (const [name, value] of Object.entries(authorization.headers)) {
        request.headers.set(name, value);
      }
      // Without a body the Request itself can be sent again; only a body needs a copy.
      const replayable = isReplayableBody(options.body);
      const spare = !replayable ? undefined : request.body === null ? request : request.clone();
      calls.set(keyOf(current), { authorization, spare });
    },

    async afterResponse(...args) {
      const current = hookState(args);
      const call = calls.get(keyOf(current));
      if (current.response?.status !== 401 || !call?.spare) return undefined;
      const { request, options } = current;
      const retry = call.spare;
      call.spare = undefined;
      const timeout = timeoutOf(options);
      const authorization = await auth.reauthorize(request.url, call.authorization.token, {
        signal: request.signal,
        timeoutMs: timeout,
      });
      if (!authorization) return undefined;
      call.authorization = authorization;
      for (const [name, value] of Object.entries(authorization.headers)) {
        retry.headers.set(name, value);
      }
      const send = options.fetch ?? globalThis.fetch;
      // ky's per-attempt timeout does not cover a request we send ourselves: apply it here.
      if (timeout === undefined) return send(retry);
      const signal = AbortSignal.any([retry.signal, AbortSignal.timeout(timeout)]);
      return send(new Request(retry, { signal }));
    },

    sent: (state) => (state.options ? calls.get(keyOf(state))?.authorization : undefined),
  };
}
