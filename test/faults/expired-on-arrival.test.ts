// A token whose lifetime ran out while the token response was on its way must not be handed out.
import {
  clientCredentials,
  createTokenManager,
  memoryStore,
  type TokenManager,
} from '@authwire/core';
import { type ManualClock, manualClock } from '@authwire/msw';
import { afterEach, describe, expect, it } from 'vitest';
import { authwireErrorIn, leakGuard } from './leak-guard.ts';

leakGuard();
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((auth) => auth.close()));
});

/** A token endpoint that takes `latencyMs` (on the manual clock) to answer `expires_in`. */
function setup(expiresIn: number, latencyMs: number) {
  const clock = manualClock();
  const seen = { calls: 0 };
  const auth = createTokenManager(
    clientCredentials({
      tokenUrl: 'https://id.example/token',
      clientId: 'c',
      clientSecret: 'arrival-secret',
    }),
    {
      origins: ['https://api.example'],
      store: memoryStore(),
      clock,
      fetch: async () => {
        seen.calls += 1;
        clock.advance(latencyMs);
        return Response.json({ access_token: `token-${seen.calls}`, expires_in: expiresIn });
      },
    },
  );
  managers.push(auth);
  return { auth, clock, seen };
}

/** What getToken() gave: a live token, a dead one, or a typed error's code. */
async function outcome(auth: TokenManager, clock: ManualClock): Promise<string> {
  return auth.getToken().then(
    (token) => (clock.now() < token.expiresAt ? 'live token' : 'dead token'),
    (error: unknown) => authwireErrorIn(error)?.code ?? String(error),
  );
}

describe('a token that expires before it arrives', () => {
  it('hands out a live token when the answer is quick', async () => {
    const { auth, clock } = setup(1, 100);
    expect(await outcome(auth, clock)).toBe('live token');
  });

  // Expiry is measured from when the request was sent, so a slow answer can arrive already dead.
  it('never hands out a token that was dead on arrival', async () => {
    const { auth, clock } = setup(1, 2_000);
    expect(['live token', 'invalid_token_response']).toContain(await outcome(auth, clock));
  });
});
