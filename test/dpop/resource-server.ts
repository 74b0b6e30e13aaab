// A loopback API that accepts only DPoP-bound tokens and checks every proof with jose (RFC 9449 §4.3, §7.1).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  calculateJwkThumbprint,
  EmbeddedJWK,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
} from 'jose';

/** How far a proof's `iat` may be from the server's clock, in seconds. */
const IAT_WINDOW_S = 60;

export interface ResourceServer {
  readonly origin: string;
  /** Proofs that passed every check, by `jti`. */
  readonly accepted: Set<string>;
  /** Why each refused request was refused (`use_dpop_nonce`, `invalid_token`, `invalid_dpop_proof: …`). */
  readonly refusals: string[];
  /** Bodies of the POSTs it accepted. */
  readonly bodies: string[];
  /**
   * Require a new nonce from now on; the one before stays accepted (a grace period, as servers
   * rotating nonces do), so a proof without any or with an older one is challenged.
   */
  rotateNonce(): string;
  /** Require no nonce any more. */
  clearNonce(): void;
  /** Send the current nonce on successful answers too. */
  announceNonce(on: boolean): void;
  /** Refuse this token from now on with `invalid_token`. */
  revoke(accessToken: string): void;
  /** The token of the last accepted request. */
  lastToken(): string | undefined;
  close(): Promise<void>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

export async function startResourceServer(signingKey: JWK): Promise<ResourceServer> {
  const key = await importJWK(signingKey, 'RS256');
  const accepted = new Set<string>();
  const seen = new Set<string>();
  const refusals: string[] = [];
  const bodies: string[] = [];
  const revoked = new Set<string>();
  let nonce: string | undefined;
  let previous: string | undefined;
  let announce = false;
  let last: string | undefined;

  const refuse = (res: ServerResponse, error: string, detail = error): void => {
    refusals.push(detail);
    const headers: Record<string, string> = {
      'www-authenticate': `DPoP algs="ES256", error="${error}"`,
    };
    if (nonce) headers['dpop-nonce'] = nonce;
    res.writeHead(401, headers).end(JSON.stringify({ error }));
  };

  const check = async (req: IncomingMessage, url: string): Promise<string> => {
    const authorization = req.headers.authorization ?? '';
    const match = /^DPoP (\S+)$/.exec(authorization);
    if (!match) throw new Refusal('invalid_token', 'invalid_token: not a DPoP authorization');
    const token = match[1] as string;
    if (revoked.has(token)) throw new Refusal('invalid_token');
    const { payload: claims } = await jwtVerify(token, key);
    const jkt = (claims.cnf as { jkt?: string } | undefined)?.jkt;
    const proof = req.headers.dpop;
    if (typeof proof !== 'string') throw new Refusal('invalid_dpop_proof', 'no proof');
    let payload: JWTPayload;
    let jwk: JWK;
    try {
      const verified = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: ['ES256'],
      });
      payload = verified.payload;
      jwk = verified.protectedHeader.jwk as JWK;
    } catch (error) {
      throw new Refusal('invalid_dpop_proof', `signature: ${(error as Error).message}`);
    }
    const fail = (what: string): never => {
      throw new Refusal('invalid_dpop_proof', what);
    };
    if ((await calculateJwkThumbprint(jwk)) !== jkt) fail('cnf.jkt is not the proof key');
    if (payload.htm !== req.method) fail(`htm ${String(payload.htm)}`);
    if (payload.htu !== url) fail(`htu ${String(payload.htu)} for ${url}`);
    if (payload.ath !== sha256(token)) fail('ath');
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > IAT_WINDOW_S) fail('iat');
    const jti = payload.jti;
    if (typeof jti !== 'string' || seen.has(jti)) fail('jti seen before');
    seen.add(jti as string);
    const nonceOk =
      payload.nonce === nonce || (previous !== undefined && payload.nonce === previous);
    if (nonce !== undefined && !nonceOk) throw new Refusal('use_dpop_nonce');
    accepted.add(jti as string);
    return token;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      check(req, `${origin}${path}`).then(
        (token) => {
          last = token;
          if (req.method === 'POST') bodies.push(Buffer.concat(chunks).toString());
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (announce && nonce) headers['dpop-nonce'] = nonce;
          res.writeHead(200, headers).end(JSON.stringify({ ok: true }));
        },
        (error: unknown) => {
          if (error instanceof Refusal) refuse(res, error.error, error.detail);
          else refuse(res, 'invalid_token', `invalid_token: ${(error as Error).message}`);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    accepted,
    refusals,
    bodies,
    rotateNonce() {
      previous = nonce;
      nonce = randomUUID();
      return nonce;
    },
    clearNonce() {
      nonce = undefined;
      previous = undefined;
    },
    announceNonce(on) {
      announce = on;
    },
    revoke(accessToken) {
      revoked.add(accessToken);
    },
    lastToken: () => last,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class Refusal extends Error {
  readonly error: string;
  readonly detail: string;
  constructor(error: string, detail: string = error) {
    super(detail);
    this.error = error;
    this.detail = detail;
  }
}
