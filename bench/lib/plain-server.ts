// The overhead target: a plain node:http server answering 200 JSON, run in its own process so it
// does not share the client's event loop. Prints nothing; sends `{ port }` over IPC when listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(JSON.stringify({ ok: true, items: [1, 2, 3] }));
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };

const server = createServer((req, res) => {
  // Drain any request body, then answer; the Authorization header is not checked on purpose:
  // both arms of the comparison must cost the server the same.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
// The parent disconnecting (exit, crash) ends the server too: no orphan process.
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
