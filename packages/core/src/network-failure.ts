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

/** What each kind says in a message (`{host}` is the endpoint's host:port), and what to check. */
const WORDS: Readonly<Record<NetworkFailureKind, readonly [string, string?]>> = {
  dns: ['host {host} not found'],
  refused: ['connection refused by {host}', 'is the server running on that port?'],
  tls: ['TLS failure with {host}'],
  reset: ['connection to {host} closed before the answer'],
  timeout: ['connection to {host} timed out'],
  unreachable: ['no route to {host}'],
  blocked_port: [
    'fetch refuses to connect to {host}',
    "the port is on the Fetch standard's list of blocked ports; use another one",
  ],
  other: ['network error'],
};

/** A TLS failure's certificate problem, from its verify code. */
function certificateProblem(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (/EXPIRED/i.test(code)) return 'the certificate has expired';
  if (/ALTNAME|HOSTNAME|HostnameMismatch|NotValidForName/i.test(code)) {
    return 'the certificate is for another host';
  }
  if (/SELF_SIGNED|UNABLE_TO|UNTRUSTED|UnknownIssuer|CaUsedAsEndEntity/i.test(code)) {
    return 'the certificate is not trusted (self-signed or an unknown issuer: trust its CA, e.g. NODE_EXTRA_CA_CERTS on Node)';
  }
  return undefined;
}

// Each rule: codes (exact, case-insensitive) or names, then message patterns for runtimes that
// give neither (Deno's `TypeError: error sending request … dns error: …`). Order matters: a TLS
// failure is often reported as a reset too ("socket disconnected before secure TLS connection").
const RULES: readonly {
  readonly kind: NetworkFailureKind;
  readonly codes: RegExp;
  readonly text: RegExp;
}[] = [
  // undici's `cause: Error('bad port')`, no code (port 1, 25, 6000, …).
  // Deno 2.9: `TypeError('Fetch failed: Requests to port 1 are blocked')`.
  { kind: 'blocked_port', codes: /^$/, text: /^bad port$|requests to port \d+ are blocked/i },
  {
    kind: 'dns',
    // Node/undici: ENOTFOUND, EAI_AGAIN (getaddrinfo); Bun: DNSException / ENOTFOUND.
    codes: /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_NODATA|EAI_FAIL|DNSException|DnsError)$/i,
    text: /dns error|getaddrinfo|failed to lookup address|name or service not known|nodename nor servname|no such host|could not resolve/i,
  },
  {
    kind: 'tls',
    // Node's OpenSSL verify codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, …),
    // ERR_TLS_*/ERR_SSL_*, EPROTO; Bun uses the same verify codes; Deno says "certificate".
    codes:
      /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|^ERR_(TLS|SSL)_|^EPROTO$|^TLS|^InvalidCertificate/i,
    text: /certificate|\bTLS\b|\bSSL\b|handshake/i,
  },
  {
    kind: 'refused',
    codes: /^(ECONNREFUSED|ConnectionRefused)$/i,
    text: /connection refused|ECONNREFUSED/i,
  },
  {
    kind: 'timeout',
    codes:
      /^(ETIMEDOUT|ETIMEOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ConnectTimeout|TimedOut)$/i,
    text: /timed? ?out/i,
  },
  {
    kind: 'unreachable',
    codes: /^(ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN|EADDRNOTAVAIL)$/i,
    text: /unreachable/i,
  },
  {
    kind: 'reset',
    // undici: UND_ERR_SOCKET ("other side closed"); Bun: ConnectionClosed; Deno: ConnectionReset.
    codes:
      /^(ECONNRESET|EPIPE|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED|ConnectionReset|ConnectionClosed|ConnectionAborted|BrokenPipe)$/i,
    text: /connection (was )?(reset|closed|aborted)|other side closed|socket hang up|broken pipe/i,
  },
];

/** rustls' certificate errors, as Deno quotes them. */
const RUSTLS_REASON =
  /\b(UnknownIssuer|CaUsedAsEndEntity|Expired|NotValidYet|NotValidForName|BadSignature|Revoked)\b/;

/** The codes, names and messages along an error's cause chain (at most 8 deep). */
function clues(error: unknown): { codes: string[]; texts: string[] } {
  const codes: string[] = [];
  const texts: string[] = [];
  let current: unknown = error;
  for (let level = 0; level < 8 && typeof current === 'object' && current !== null; level++) {
    const { code, name, message, cause } = current as Record<string, unknown>;
    // Bun and Deno may put the kind in the class name (ConnectionRefused, DNSException); pushed
    // before the code, so that read backwards the code wins.
    if (typeof name === 'string' && name !== 'Error' && name !== 'TypeError') codes.push(name);
    if (typeof code === 'string' && /^[A-Z0-9_]{1,60}$/i.test(code)) codes.push(code);
    if (typeof message === 'string') texts.push(message.slice(0, 500));
    current = cause;
  }
  return { codes, texts };
}

/**
 * Reads why a fetch threw: Node's undici (`TypeError: fetch failed` with `cause.code`), Bun
 * (`code` or the class name on the error itself) and Deno (the reason in the message). Codes win
 * over message text, the deepest code first (it is the most specific: ECONNRESET under
 * UND_ERR_SOCKET). Never returns any of the error's text, only a kind and a code.
 *
 * @example
 * classifyNetworkFailure(Object.assign(new TypeError('fetch failed'), {
 *   cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }),
 * })); // { kind: 'dns', code: 'ENOTFOUND' }
 */
export function classifyNetworkFailure(error: unknown): NetworkFailure {
  const { codes, texts } = clues(error);
  for (const code of [...codes].reverse()) {
    const rule = RULES.find(({ codes: pattern }) => pattern.test(code));
    if (rule) return { kind: rule.kind, code };
  }
  for (const rule of RULES) {
    if (texts.some((text) => rule.text.test(text))) {
      // Deno names the certificate problem in its text only (rustls: `invalid peer certificate: UnknownIssuer`).
      const reason =
        rule.kind === 'tls'
          ? texts.map((text) => RUSTLS_REASON.exec(text)?.[1]).find(Boolean)
          : undefined;
      return {
        kind: rule.kind,
        code: reason ?? codes.find((code) => /^[A-Z][A-Z0-9_]+$/.test(code)),
      };
    }
  }
  return { kind: 'other', code: codes.find((code) => /^[A-Z][A-Z0-9_]+$/.test(code)) };
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
  failure: NetworkFailure,
  host: string,
  hint?: string,
): string {
  const [words, advice] = WORDS[failure.kind];
  const code = failure.code === undefined ? '' : ` (${failure.code})`;
  const more =
    failure.kind === 'dns'
      ? hint
      : failure.kind === 'tls'
        ? certificateProblem(failure.code)
        : advice;
  return `${words.replace('{host}', host)}${code}${more ? `: ${more}` : ''}`;
}
