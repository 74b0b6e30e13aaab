// `authwire token` when the token endpoint gives no answer: the cause is named (real loopback failures, no MSW here).
import {
  closedPort,
  resettingServer,
  selfSignedServer,
  UNRESOLVABLE_HOST,
} from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.ts';

const SECRET = 'cli-net-s3cret-77';

async function token(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  expect(`${stdout}${stderr}`).not.toContain(SECRET);
  return { code, stdout, stderr };
}

/** Norce pointed at `tokenUrl` (one attempt would do, but the default budget is what users get). */
const norceAt = (tokenUrl: string): NodeJS.ProcessEnv => ({
  NORCE_CLIENT_ID: 'client',
  NORCE_CLIENT_SECRET: SECRET,
  NORCE_APPLICATION_ID: '1234',
  NORCE_TOKEN_URL: tokenUrl,
  NORCE_BASE_URL: 'http://127.0.0.1:9',
});

describe('authwire token names why the token endpoint did not answer', () => {
  it('host not found (Oracle): names the host and the baseUrl option', async () => {
    const { code, stderr } = await token(['token', 'oracle'], {
      OCC_BASE_URL: `https://ccadmin-z1ab.${UNRESOLVABLE_HOST}`,
      OCC_APPLICATION_KEY: SECRET,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^authwire: Token request to https://ccadmin-z1ab\\.${UNRESOLVABLE_HOST.replace('.', '\\.')}/ccadmin/v1/login failed: host ccadmin-z1ab\\.${UNRESOLVABLE_HOST.replace('.', '\\.')} not found \\((ENOTFOUND|EAI_AGAIN)\\): check the baseUrl option`,
      ),
    );
    expect(stderr).toContain(
      '[token_request_failed]\n  Check --base-url (OCC_BASE_URL): your instance origin.\n',
    );
  });

  it('host not found (Norce with --token-url): names tokenUrl', async () => {
    const { code, stderr } = await token(
      ['token', 'norce'],
      norceAt(`https://${UNRESOLVABLE_HOST}/identity/1.0/connect/token`),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /not found \((ENOTFOUND|EAI_AGAIN)\): check the tokenUrl option \[token_request_failed\]\n {2}Check --token-url \(NORCE_TOKEN_URL\)\.\n$/,
    );
  });

  it('connection refused: names host and port, and the mock command', async () => {
    const origin = await closedPort();
    const { code, stderr } = await token(['token', 'norce'], norceAt(`${origin}/token`));
    expect(code).toBe(1);
    expect(stderr).toContain(
      `failed: connection refused by ${origin.slice('http://'.length)} (ECONNREFUSED): is the server running on that port? [token_request_failed]\n`,
    );
    expect(stderr).toContain('authwire mock <platform>');
  });

  it('TLS failure: an untrusted certificate', async () => {
    const origin = await selfSignedServer();
    const { code, stderr } = await token(['token', 'norce'], norceAt(`${origin}/token`));
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /failed: TLS failure with 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\): the certificate is not trusted/,
    );
  });

  it('connection reset', async () => {
    const origin = await resettingServer();
    const { code, stderr } = await token(['token', 'norce'], norceAt(`${origin}/token`));
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /failed: connection to 127\.0\.0\.1:\d+ closed before the answer \((ECONNRESET|UND_ERR_SOCKET)\)/,
    );
  });

  it('--json carries the kind of failure', async () => {
    const origin = await closedPort();
    const { code, stdout } = await token(['token', 'norce', '--json'], norceAt(`${origin}/token`));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      error: { code: 'token_request_failed', network: 'refused' },
    });
  });
});

describe('AUTHWIRE_DEBUG=1', () => {
  it('prints one line per attempt with the cause and the retry, never the secret', async () => {
    const origin = await closedPort();
    const { code, stderr } = await token(['token', 'norce'], {
      ...norceAt(`${origin}/token`),
      AUTHWIRE_DEBUG: '1',
    });
    expect(code).toBe(1);
    const lines = stderr
      .split('\n')
      .filter((line) => line.startsWith('authwire token_request_failed'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /attempt=1 .*connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\).* willRetry=true retryInMs=\d+/,
    );
    expect(lines[2]).toMatch(/attempt=3 .* willRetry=false/);
  });

  it('prints nothing with AUTHWIRE_DEBUG=0', async () => {
    const origin = await closedPort();
    const { stderr } = await token(['token', 'norce'], {
      ...norceAt(`${origin}/token`),
      AUTHWIRE_DEBUG: '0',
    });
    expect(stderr).not.toContain('authwire token_request');
  });
});
