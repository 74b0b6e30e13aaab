// A fetch that answers from MSW handlers in-process: no global interception, no sockets.
import { getResponse, type RequestHandler } from 'msw';

export function routeFetch(handlers: () => readonly RequestHandler[]): typeof fetch {
  return async (input, init) => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const response = await getResponse([...handlers()], request);
    if (!response) return Response.json({ error: 'no_mock_handler' }, { status: 404 });
    // HttpResponse.error(): what a failed connection looks like to fetch.
    if (response.type === 'error') throw new TypeError('fetch failed');
    return response;
  };
}
