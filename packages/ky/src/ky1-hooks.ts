// ky 1 has no init hooks, so there the adapter maps beforeRequest / afterResponse onto core's request seam.
import {
  followRedirects,
  isReplayableBody,
  needsOwnRedirects,
  type RequestAuth,
  setHeaders,
} from '@authwire/core/kit';

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
  beforeRequest(...args: unknown[]): Promise<Request | undefined>;
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
  // Unsent copies of requests whose redirects the hooks follow (a provider's own token header).
  let follows: WeakMap<object, Request> | undefined;

  return {
    async beforeRequest(...args) {
      const current = hookState(args);
      const { request, options } = current;
      if (options.context?.authwire === false) return;
      const authorization = await seam.headers(request.url, waitOf(current));
      if (!authorization) return;
      // A token header fetch would carry across origins: redirects are followed in afterResponse.
      const own = needsOwnRedirects(authorization) && request.redirect !== 'manual';
      const sent = own ? new Request(request, { redirect: 'manual' }) : request;
      setHeaders(sent.headers, authorization);
      // Without a body the Request itself can be sent again; only a body needs a copy.
      const replayable = isReplayableBody(options.body);
      spares ??= new WeakMap();
      spares.set(
        keyOf(current),
        !replayable ? undefined : sent.body === null ? sent : sent.clone(),
      );
      if (!own) return;
      follows ??= new WeakMap();
      follows.set(keyOf(current), sent.clone());
      return sent;
    },

    async afterResponse(...args) {
      const current = hookState(args);
      const { request, options, response: received } = current;
      if (!received) return undefined;
      const key = keyOf(current);
      const copy = follows?.get(key);
      const send = options.fetch ?? ((next: Request) => globalThis.fetch(next));
      const response = copy ? await followRedirects(seam, send, copy, received) : received;
      const changed = response === received ? undefined : response;
      if (!seam.mayRetry(response.status)) return changed;
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
      if (!fresh || !spare) return changed;
      spares?.delete(key);
      setHeaders(spare.headers, fresh);
      // ky's per-attempt timeout does not cover a request we send ourselves: apply it here.
      const { timeoutMs } = waitOf(current);
      const again =
        timeoutMs === undefined
          ? spare
          : new Request(spare, {
              signal: AbortSignal.any([spare.signal, AbortSignal.timeout(timeoutMs)]),
            });
      if (!copy) return send(again);
      const copyAgain = again.clone();
      return followRedirects(seam, send, copyAgain, await send(again));
    },
  };
}
