// A loopback stand-in for Norce's and Oracle's token endpoints and APIs, in plain node:http, for
// the Node 20 app: @authwire/msw (MSW 3) needs Node ≥ 22.12, so on Node 20 the presets are pointed
// at this server through their `tokenUrl`/`baseUrl` overrides.
import { createServer } from 'node:http';

/** Starts the server; `revokeAll()` invalidates every token issued, `counts` records requests. */
export async function startPlatformServer() {
  const valid = new Set();
  const counts = { norceTokens: 0, oracleLogins: 0, api401s: 0, api: 0 };
  const send = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req) => {
    let data = '';
    for await (const chunk of req) data += chunk;
    return data;
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    const body = await readBody(req);
    if (req.method === 'POST' && path === '/identity/1.0/connect/token') {
      const form = new URLSearchParams(body);
      if (form.get('client_secret') !== 'consumer-secret')
        return send(res, 400, { error: 'invalid_client' });
      const token = `norce-${++counts.norceTokens}`;
      valid.add(token);
      return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (req.method === 'POST' && path === '/ccadmin/v1/login') {
      if (req.headers.authorization !== 'Bearer consumer-app-key') {
        return send(res, 401, { status: '401', message: 'bad key', errorCode: '83037' });
      }
      const token = `oracle-${++counts.oracleLogins}`;
      valid.add(token);
      return send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 300 });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !valid.has(token)) {
      counts.api401s += 1;
      return send(res, 401, { error: 'invalid_token' });
    }
    counts.api += 1;
    return send(res, 200, { path, token, applicationId: req.headers.applicationid ?? null, body });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    counts,
    revokeAll: () => valid.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
