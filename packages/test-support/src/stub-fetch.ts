// An injected `fetch` that records requests and answers from a handler: no network, no MSW.
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string;
}

export interface StubFetch {
  readonly fetch: typeof fetch;
  readonly requests: SeenRequest[];
}

export function stubFetch(
  handler: (request: SeenRequest, n: number) => Response | Promise<Response>,
): StubFetch {
  const requests: SeenRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const seen: SeenRequest = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    };
    requests.push(seen);
    return handler(seen, requests.length);
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
