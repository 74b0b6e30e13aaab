// AUTHWIRE_DEBUG=1 on its own turns the debug lines on, tested the way a user does it: a fresh process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

// A manager with no `debug` and no `onEvent`: only the environment can turn the lines on.
const SCRIPT = `
import { createTokenManager, memoryStore } from ${JSON.stringify(INDEX)};
const auth = createTokenManager(
  { key: 'debug-env', label: 'fake id.example.com/token', async fetchToken() {
      const now = Date.now();
      return { accessToken: 'secret-token-value', tokenType: 'Bearer', issuedAt: now, expiresAt: now + 60000 };
  } },
  { origins: ['https://api.example.com'], store: memoryStore() },
);
await auth.getToken();
await auth.close();
`;

async function stderrWith(env: Record<string, string | undefined>): Promise<string> {
  const { AUTHWIRE_DEBUG: _, ...base } = process.env;
  const { stderr } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    env: { ...base, ...env },
    timeout: 20_000,
  });
  return stderr;
}

describe('AUTHWIRE_DEBUG', () => {
  it('prints one line per event when set to 1, with no token in them', async () => {
    const stderr = await stderrWith({ AUTHWIRE_DEBUG: '1' });
    expect(stderr).toContain('authwire token_request fake id.example.com/token');
    expect(stderr).toContain('authwire token_acquired fake id.example.com/token');
    expect(stderr).toContain('authwire closed');
    expect(stderr).not.toContain('secret-token-value');
  });

  it('prints nothing when unset or 0', async () => {
    expect(await stderrWith({})).not.toContain('authwire ');
    expect(await stderrWith({ AUTHWIRE_DEBUG: '0' })).not.toContain('authwire ');
  });
});
