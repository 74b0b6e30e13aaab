// Why a token request never got an answer (DNS, refused, TLS, reset, timeout), read from whatever shape the runtime's fetch threw.

/**
 * The kind of a failure below HTTP: the host did not resolve (`dns`), nothing listens on the port
 * (`refused`), the TLS handshake failed (`tls`, e.g. an untrusted certificate), the connection was
 * dropped before the answer (`reset`), connecting or reading timed out at the socket (`timeout`),
 * no route to the host (`unreachable`), a port fetch refuses to use (`blocked_port`: 1, 25, 6000,
 * … are on the Fetch standard's list), or anything else (`other`).
 */
export type NetworkFailureKind =
  | 'blocked_port'
  | 'dns'
  | 'refused'
  | 'tls'
  | 'reset'
  | 'timeout'
  | 'unreachable'
  | 'other';

export interface NetworkFailure {
  readonly kind: NetworkFailureKind;
  /** The code that decided it (`ENOTFOUND`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `ConnectionRefused`, …), if any. */
  readonly code: string | undefined;
}

// Each rule: [kind, codes (or class names), message text for runtimes that give neither (Deno:
// `fetch failed` caused by `… dns error: …`), the words of a message ({host} is host:port), what
// to check]. Order matters for text: a TLS failure may also read as a closed connection. Codes:
// Node/undici (ENOTFOUND, EAI_AGAIN, UND_ERR_SOCKET, OpenSSL verify codes), Bun (the same codes on
// the error itself; ConnectionClosed in older versions).
const RULES: readonly (readonly [NetworkFailureKind, RegExp, RegExp, string, string?])[] = [
  // undici's `cause: Error('bad port')`; Deno's `Requests to port 1 are blocked`.
  [
    'blocked_port',
    /^$/,
    /^bad port$|port \d+ are blocked/i,
    'fetch refuses to connect to {host}',
    'a blocked port (Fetch standard); use another',
  ],
  [
    'dns',
    /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|DNSException)$/i,
    /dns error|getaddrinfo|lookup address|nodename nor servname/i,
    'host {host} not found',
  ],
  [
    'tls',
    /CERT|SELF_SIGNED|UNABLE_TO|^ERR_(TLS|SSL)_|^EPROTO$/i,
    /certificate|\bTLS\b|\bSSL\b/i,
    'TLS failure with {host}',
  ],
  [
    'refused',
    /^(ECONNREFUSED|ConnectionRefused)$/i,
    /connection refused|ECONNREFUSED/i,
    'connection refused by {host}',
    'is the server running on that port?',
  ],
  [
    'timeout',
    /^(ETIMEDOUT|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/i,
    /timed out/i,
    'connection to {host} timed out',
  ],
  ['unreachable', /^E(NET|HOST)UNREACH$/, /unreachable/i, 'no route to {host}'],
  [
    'reset',
    /^(ECONNRESET|EPIPE|UND_ERR_SOCKET|ConnectionReset|ConnectionClosed)$/i,
    /connection (reset|closed)|other side closed|socket hang up|ECONNRESET/i,
    'connection to {host} closed before the answer',
  ],
];

/** A TLS failure's certificate problem, from its verify code (OpenSSL's, or rustls' in Deno). */
const CERTIFICATE_PROBLEMS: readonly (readonly [RegExp, string])[] = [
  [/EXPIRED/i, 'the certificate has expired'],
  [/ALTNAME|NotValidForName/i, 'the certificate is for another host'],
  [
    /SELF_SIGNED|UNABLE_TO|UnknownIssuer|CaUsedAsEndEntity/i,
    'the certificate is not trusted (self-signed or an unknown issuer: trust its CA, e.g. NODE_EXTRA_CA_CERTS on Node)',
  ],
];

/**
 * Reads why a fetch threw: Node's undici (`TypeError: fetch failed` with `cause.code`), Bun
 * (`code` or the class name on the error itself) and Deno (the reason in the message), along the
 * cause chain (at most 8 deep). Codes win over message text, the deepest code first (it is the
 * most specific: ECONNRESET under UND_ERR_SOCKET). Never returns any of the error's text, only a
 * kind and a code.
 *
 * @example
 * classifyNetworkFailure(Object.assign(new TypeError('fetch failed'), {
 *   cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }),
 * })); // { kind: 'dns', code: 'ENOTFOUND' }
 */
export function classifyNetworkFailure(error: unknown): NetworkFailure {
  const codes: string[] = [];
  const texts: string[] = [];
  let current = error as Record<string, unknown> | null | undefined;
  for (let level = 0; level < 8 && typeof current === 'object' && current !== null; level++) {
    const { code, name, message } = current;
    // Bun and Deno may put the kind in the class name (ConnectionRefused, DNSException); pushed
    // before the code, so that read backwards the code wins.
    if (typeof name === 'string' && name !== 'Error' && name !== 'TypeError') codes.push(name);
    if (typeof code === 'string' && /^[A-Z0-9_]{1,60}$/i.test(code)) codes.push(code);
    if (typeof message === 'string') texts.push(message.slice(0, 500));
    current = current.cause as typeof current;
  }
  const anyCode = codes.find((code) => /^[A-Z][A-Z0-9_]+$/.test(code));
  for (const code of codes.reverse()) {
    const rule = RULES.find(([, pattern]) => pattern.test(code));
    if (rule) return { kind: rule[0], code };
  }
  const kind = RULES.find(([, , text]) => texts.some((line) => text.test(line)))?.[0] ?? 'other';
  // Deno names the certificate problem in its text only (`invalid peer certificate: UnknownIssuer`).
  const reason =
    kind === 'tls'
      ? texts
          .map(
            (line) =>
              /\b(UnknownIssuer|CaUsedAsEndEntity|Expired|NotValidForName)\b/.exec(line)?.[1],
          )
          .find(Boolean)
      : undefined;
  return { kind, code: reason ?? anyCode };
}

/**
 * The words for a failure in an error message: `host acme.example not found (ENOTFOUND): check …`.
 * `hint` (the provider's `hostNotFoundHint`) is added for `dns` only.
 *
 * @example
 * describeNetworkFailure({ kind: 'refused', code: 'ECONNREFUSED' }, '127.0.0.1:4000');
 * // 'connection refused by 127.0.0.1:4000 (ECONNREFUSED): is the server running on that port?'
 */
export function describeNetworkFailure(
  { kind, code = '' }: NetworkFailure,
  host: string,
  hint?: string,
): string {
  const [, , , words = 'network error', advice] = RULES.find((rule) => rule[0] === kind) ?? [];
  const more =
    kind === 'dns'
      ? hint
      : kind === 'tls'
        ? CERTIFICATE_PROBLEMS.find(([pattern]) => pattern.test(code))?.[1]
        : advice;
  return `${words.replace('{host}', host)}${code && ` (${code})`}${more ? `: ${more}` : ''}`;
}
