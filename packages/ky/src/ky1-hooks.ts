// ky 1 has no init hooks, so there the adapter maps beforeRequest / afterResponse onto core's request seam.
import { isReplayableBody, type RequestAuth, setHeaders } from '@authwire/core/kit';

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
}

// Module functions, not closures: authHooks runs once per wrapped instance.
const keyOf = ({ request, options }: HookState): object => options?.signal ?? request;
const waitOf = ({ request, options }: HookState) => ({
  signal: request.signal,
  timeoutMs: typeof options.timeout === 'number' ? options.timeout : undefined,
});

export function ky1Hooks(seam: RequestAuth): Ky1Hooks {
  // An unsent copy for the one retry, keyed by ky's per-request signal: later hooks may see a
  // clone of the request. Absent for one-shot (stream) bodies. Made on first use (ky 1 only).
  let spares: WeakMap<object, Request | undefined> | undefined;

  return {
    async beforeRequest(...args) {
      const current = hookState(args);
      const { request, options } = current;
      if (options.context?.authwire === false) return;
      const authorization = await seam.headers(request.url, waitOf(current));
      if (!authorization) return;
      setHeaders(request.headers, authorization);
      // Without a body the Request itself can be sent again; only a body needs a copy.
      const replayable = isReplayableBody(options.body);
      spares ??= new WeakMap();
      spares.set(
        keyOf(current),
        !replayable ? undefined : request.body === null ? request : request.clone(),
      );
    },

    async afterResponse(...args) {
      const current = hookState(args);
      const { request, options, response } = current;
      if (!response || !seam.mayRetry(response.status)) return undefined;
      const key = keyOf(current);
      const spare = spares?.get(key);
      const decision = seam.retry(
        key,
        {
          authorization: request.headers.get(seam.tokenHeader),
          url: request.url,
          replayable: spare !== undefined,
        },
        response,
        waitOf(current),
      );
      const fresh = decision && (await decision);
      if (!fresh || !spare) return undefined;
      spares?.delete(key);
      setHeaders(spare.headers, fresh);
      const send = options.fetch ?? globalThis.fetch;
      // ky's per-attempt timeout does not cover a request we send ourselves: apply it here.
      const { timeoutMs } = waitOf(current);
      if (timeoutMs === undefined) return send(spare);
      return send(
        new Request(spare, {
          signal: AbortSignal.any([spare.signal, AbortSignal.timeout(timeoutMs)]),
        }),
      );
    },
  };
}
