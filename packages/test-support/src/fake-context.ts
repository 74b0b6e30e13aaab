// A hand-made FetchContext: records each TokenRequest and answers from a script.
import type { Token } from '@authwire/core';
import type { FetchContext, FetchReason, TokenRequest } from '@authwire/core/kit';

export type Answer = Token | Error | ((request: TokenRequest) => Token | Error);

export interface FakeContext extends FetchContext {
  readonly requests: TokenRequest[];
}

export function token(accessToken = 'tok-1', lifetimeMs = 3_600_000): Token {
  return { accessToken, tokenType: 'Bearer', issuedAt: 0, expiresAt: lifetimeMs };
}

/** Answers requests in order; the last answer repeats. */
export function fakeContext(
  answers: readonly Answer[] = [token()],
  init: { reason?: FetchReason; current?: Token } = {},
): FakeContext {
  const requests: TokenRequest[] = [];
  return {
    reason: init.reason ?? 'initial',
    ...(init.current === undefined ? {} : { current: init.current }),
    signal: new AbortController().signal,
    requests,
    async request(request: TokenRequest): Promise<Token> {
      requests.push(request);
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
      const result = typeof answer === 'function' ? answer(request) : answer;
      if (result === undefined) throw new Error('fake context: no answer scripted');
      if (result instanceof Error) throw result;
      return result;
    },
    async send(request: TokenRequest): Promise<{ status: number; body: unknown }> {
      requests.push(request);
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
      const result = typeof answer === 'function' ? answer(request) : answer;
      if (result instanceof Error) throw result;
      return { status: 200, body: { result: true } };
    },
  };
}

/** The form body of a recorded request as a plain object. */
export function form(request: TokenRequest | undefined): Record<string, string> {
  const body = request?.body;
  if (body === undefined) return {};
  return Object.fromEntries(new URLSearchParams(body.toString()));
}
