// A token request that gets no answer says why: real loopback failures, and the shapes Bun and Deno throw.
import { describe, expect, it } from 'vitest';
import {
  closedPort,
  resettingServer,
  selfSignedServer,
  UNRESOLVABLE_HOST,
} from '../../test-support/src/network-faults.ts';
import { classifyNetworkFailure, describeNetworkFailure } from '../src/endpoint/network-failure.ts';
import { clientCredentials, createTokenManager, TokenEndpointError } from '../src/index.ts';
import { formatEvent } from '../src/observe/events.ts';
import type { TokenEvent } from '../src/types.ts';

const SECRET = 'net-s3cret-4f1d';

/** One attempt against `tokenUrl` with the real fetch; the error and the debug lines it printed. */
async function failWith(tokenUrl: string, hostNotFoundHint?: string) {
  const provider = clientCredentials({ tokenUrl, clientId: 'app', clientSecret: SECRET });
  const lines: string[] = [];
  const auth = createTokenManager(
    hostNotFoundHint === undefined ? provider : { ...provider, hostNotFoundHint },
    {
      origins: ['https://api.example.com'],
      maxAttempts: 1,
      debug: (line) => lines.push(line),
    },
  );
  const error = await auth.getToken().then(
    () => expect.fail('expected a failure'),
    (caught: unknown) => caught,
  );
  await auth.close();
  expect(error).toBeInstanceOf(TokenEndpointError);
  const failed = lines.find((line) => line.startsWith('authwire token_request_failed'));
  for (const text of [String(error), JSON.stringify(error), ...lines]) {
    expect(text).not.toContain(SECRET);
  }
  return { error: error as TokenEndpointError, debug: failed ?? '' };
}

describe('a token request that gets no answer names the cause', () => {
  it('host not found: names the host, the code and the option to check', async () => {
    const url = `https://${UNRESOLVABLE_HOST}/oauth2/token`;
    const { error, debug } = await failWith(url, "check the clientName 'acme' option");
    expect(error.network).toBe('dns');
    expect(error.message).toMatch(
      new RegExp(
        `^Token request to ${url} failed: host ${UNRESOLVABLE_HOST} not found \\((ENOTFOUND|EAI_AGAIN)\\): check the clientName 'acme' option$`,
      ),
    );
    expect(error.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ network: 'dns' });
    expect(debug).toContain(`host ${UNRESOLVABLE_HOST} not found`);
  });

  it('connection refused: a closed loopback port', async () => {
    const origin = await closedPort();
    const { error, debug } = await failWith(`${origin}/token`);
    const host = origin.replace('http://', '');
    expect(error.network).toBe('refused');
    expect(error.message).toBe(
      `Token request to ${origin}/token failed: connection refused by ${host} (ECONNREFUSED): is the server running on that port?`,
    );
    expect(debug).toContain('connection refused by');
  });

  it('connection reset: a server that drops the socket once the request arrives', async () => {
    const origin = await resettingServer();
    const { error } = await failWith(`${origin}/token`);
    expect(error.network).toBe('reset');
    expect(error.message).toMatch(
      /failed: connection to 127\.0\.0\.1:\d+ closed before the answer \((ECONNRESET|UND_ERR_SOCKET)\)$/,
    );
  });

  it('TLS failure: a self-signed certificate on loopback', async () => {
    const origin = await selfSignedServer();
    const { error, debug } = await failWith(`${origin}/token`);
    expect(error.network).toBe('tls');
    expect(error.message).toMatch(
      /failed: TLS failure with 127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\): the certificate is not trusted/,
    );
    expect(debug).toContain('TLS failure with');
  });

  it('a port fetch refuses (the Fetch standard blocks port 1)', async () => {
    const { error } = await failWith('http://127.0.0.1:1/token');
    expect(error.network).toBe('blocked_port');
    expect(error.message).toBe(
      'Token request to http://127.0.0.1:1/token failed: fetch refuses to connect to 127.0.0.1:1: a blocked port (Fetch standard); use another',
    );
  });

  it('prints the cause in the debug line of the failed attempt', async () => {
    const event = {
      type: 'token_request_failed',
      label: 'x id.example.com/token',
      error: new TokenEndpointError('Token request to x failed: host y not found (ENOTFOUND)', {
        endpoint: 'x',
        retryable: true,
        network: 'dns',
      }),
    } as unknown as TokenEvent;
    expect(formatEvent(event)).toContain('host y not found (ENOTFOUND)');
  });
});

const withCause = (error: Error, cause: unknown): Error => Object.assign(error, { cause });
const coded = (message: string, code: string, name = 'Error'): Error =>
  Object.assign(new Error(message), { code, name });

describe('classifyNetworkFailure reads the shape of every runtime', () => {
  it.each([
    // Node (undici): TypeError('fetch failed') with the system error as cause.
    [
      'node dns',
      withCause(new TypeError('fetch failed'), coded('getaddrinfo ENOTFOUND x', 'ENOTFOUND')),
      'dns',
      'ENOTFOUND',
    ],
    [
      'node dns again',
      withCause(new TypeError('fetch failed'), coded('getaddrinfo EAI_AGAIN x', 'EAI_AGAIN')),
      'dns',
      'EAI_AGAIN',
    ],
    [
      'node refused',
      withCause(new TypeError('fetch failed'), coded('connect ECONNREFUSED', 'ECONNREFUSED')),
      'refused',
      'ECONNREFUSED',
    ],
    [
      'node socket',
      withCause(
        new TypeError('fetch failed'),
        coded('other side closed', 'UND_ERR_SOCKET', 'SocketError'),
      ),
      'reset',
      'UND_ERR_SOCKET',
    ],
    [
      'node connect timeout',
      withCause(
        new TypeError('fetch failed'),
        coded('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT'),
      ),
      'timeout',
      'UND_ERR_CONNECT_TIMEOUT',
    ],
    [
      'node expired cert',
      withCause(
        new TypeError('fetch failed'),
        coded('certificate has expired', 'CERT_HAS_EXPIRED'),
      ),
      'tls',
      'CERT_HAS_EXPIRED',
    ],
    [
      'node wrong host',
      withCause(
        new TypeError('fetch failed'),
        coded("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'),
      ),
      'tls',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ],
    [
      'node unreachable',
      withCause(new TypeError('fetch failed'), coded('connect EHOSTUNREACH', 'EHOSTUNREACH')),
      'unreachable',
      'EHOSTUNREACH',
    ],
    // Bun 1.4.5, as it threw against the same loopback servers: the code on the TypeError itself.
    [
      'bun dns',
      coded('getaddrinfo ENOTFOUND x.authwire-test.invalid', 'ENOTFOUND', 'TypeError'),
      'dns',
      'ENOTFOUND',
    ],
    [
      'bun refused',
      coded(
        'ECONNREFUSED: Unable to connect. Is the computer able to access the url?',
        'ECONNREFUSED',
        'TypeError',
      ),
      'refused',
      'ECONNREFUSED',
    ],
    [
      'bun reset',
      coded(
        'ECONNRESET: The socket connection was closed unexpectedly.',
        'ECONNRESET',
        'TypeError',
      ),
      'reset',
      'ECONNRESET',
    ],
    [
      'bun self-signed',
      coded('self signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'TypeError'),
      'tls',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    ],
    // Older Bun shapes: the kind as the code or the class name.
    [
      'bun closed (older)',
      coded('The socket connection was closed unexpectedly.', 'ConnectionClosed'),
      'reset',
      'ConnectionClosed',
    ],
    [
      'bun dns (class name)',
      coded('getaddrinfo ENOTFOUND', 'ENOTFOUND', 'DNSException'),
      'dns',
      'ENOTFOUND',
    ],
    // Deno 2.9.6, as it threw against the same servers: TypeError('fetch failed'), the reason in the cause's text.
    [
      'deno dns',
      withCause(
        new TypeError('fetch failed'),
        new Error(
          'error sending request for url (https://x.authwire-test.invalid/t): client error (Connect): dns error: failed to lookup address information: Name or service not known',
        ),
      ),
      'dns',
      undefined,
    ],
    [
      'deno refused',
      withCause(
        new TypeError('fetch failed'),
        new Error(
          'error sending request for url (http://127.0.0.1:45471/t): client error (Connect): tcp connect error: Connection refused (os error 111)',
        ),
      ),
      'refused',
      undefined,
    ],
    [
      'deno reset',
      withCause(
        new TypeError('fetch failed'),
        new Error('Connection reset by peer (os error 104)'),
      ),
      'reset',
      undefined,
    ],
    [
      'deno dropped',
      withCause(
        new TypeError('fetch failed'),
        new Error(
          'error sending request from 127.0.0.1:52232 for http://127.0.0.1:41853/t (127.0.0.1:41853): client error (SendRequest): connection closed before message complete',
        ),
      ),
      'reset',
      undefined,
    ],
    [
      'deno self-signed',
      withCause(
        new TypeError('fetch failed'),
        new Error(
          'error sending request for url (https://127.0.0.1:36097/t): client error (Connect): invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))',
        ),
      ),
      'tls',
      'CaUsedAsEndEntity',
    ],
    [
      'deno unknown issuer',
      withCause(
        new TypeError('fetch failed'),
        new Error('client error (Connect): invalid peer certificate: UnknownIssuer'),
      ),
      'tls',
      'UnknownIssuer',
    ],
    [
      'deno blocked port',
      new TypeError('Fetch failed: Requests to port 1 are blocked'),
      'blocked_port',
      undefined,
    ],
    ['anything else', new TypeError('fetch failed'), 'other', undefined],
    ['not an error', 'a string', 'other', undefined],
  ])('%s', (_name, error, kind, code) => {
    expect(classifyNetworkFailure(error)).toEqual({ kind, code });
  });

  it('reads at most 8 causes deep (a cyclic chain ends)', () => {
    const a: { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(classifyNetworkFailure(a)).toEqual({ kind: 'other', code: undefined });
  });

  it('never returns the error text, only a kind and a code', () => {
    const failure = classifyNetworkFailure(
      withCause(
        new TypeError(`fetch failed ${SECRET}`),
        coded(`ECONNRESET ${SECRET}`, 'ECONNRESET'),
      ),
    );
    expect(JSON.stringify(failure)).not.toContain(SECRET);
    expect(describeNetworkFailure(failure, 'h:1')).toBe(
      'connection to h:1 closed before the answer (ECONNRESET)',
    );
  });
});
