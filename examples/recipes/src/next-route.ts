// A Next.js App Router route handler (`app/api/products/route.ts`): a plain
// `(request: Request) => Promise<Response>` function that Next calls for GET /api/products.
// The manager lives at module level: one per server instance (per warm serverless instance), so
// requests share its cached token and one in-flight token request. Without a `store`, managers of
// the same credentials in one process share a cache anyway; across instances, add
// `@authwire/redis` (see lambda.ts) to share one token and respect Norce's 3-per-minute limit.
import { authFetch } from '@authwire/core';
import { norce } from '@authwire/norce';
import { norceEnv } from './norce-env.ts';

const auth = norce(norceEnv());
const fetchWithAuth = authFetch(auth);

export const dynamic = 'force-dynamic'; // Next: never prerender a route that calls an API

export async function GET(request: Request): Promise<Response> {
  const page = new URL(request.url).searchParams.get('page') ?? '1';
  const upstream = await fetchWithAuth(
    `${auth.baseUrl}/commerce/product/1.1/ListProducts?format=json&pageNo=${encodeURIComponent(page)}`,
  );
  if (!upstream.ok) {
    return Response.json({ error: 'upstream', status: upstream.status }, { status: 502 });
  }
  return Response.json(await upstream.json());
}
