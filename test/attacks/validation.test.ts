// Store entries, provider Tokens and every entry point's options are validated before use.
import { randomUUID } from 'node:crypto';
import {
  authFetch,
  createTokenManager,
  type Token,
  type TokenManager,
  type TokenManagerOptions,
  type TokenProvider,
  type TokenStore,
} from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { useScriptedIdp } from './scripted-idp.ts';
import { assertNoSecrets, eventLog, leakGuard, steppableClock } from './support.ts';

leakGuard();
const SECRET = 'valid-Secret-7272';
const API = 'https://api.example.com';
const env = useScriptedIdp(SECRET);

describe('store entries and provider Tokens are validated like token responses', () => {
  const now = Date.now();
  it.each<[string, Partial<Token>]>([
    ['a CR/LF access token', { accessToken: 'abc\r\nX-Evil: 1' }],
    ["tokenType ''", { tokenType: '' }],
    ['expiresAt 1e15', { expiresAt: 1e15 }],
    ['tokenType mac', { tokenType: 'mac' }],
  ])('a store entry with %s is not adopted', async (_label, change) => {
    const path = env.uniquePath();
    const bad = {
      accessToken: 'stored',
      tokenType: 'Bearer',
      issuedAt: now,
      expiresAt: now + 3_600_000,
      ...change,
    };
    const store: TokenStore = {
      get: async () => bad as Token,
      set: async () => {},
      delete: async () => true,
    };
    const log = eventLog();
    const auth = env.track(
      createTokenManager(env.provider(path), { origins: [API], store, onEvent: log.onEvent }),
    );
    const authorization = await auth.authorize(`${API}/x`);
    expect(authorization?.token.accessToken).toBe(env.idp.issued.at(-1));
    expect(authorization?.headers.Authorization).toMatch(/^Bearer [\x21-\x7e]+$/);
    expect(env.idp.count(path)).toBe(1);
    // The refused entry is reported, without quoting it.
    assertNoSecrets([log.events, auth], [SECRET, 'X-Evil', authorization!.token.accessToken]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no issuedAt', { issuedAt: undefined }],
    ['NaN issuedAt', { issuedAt: Number.NaN }],
    ['NaN expiresAt', { expiresAt: Number.NaN }],
  ])('a provider Token with %s is refused, never handed out forever', async (_label, change) => {
    const clock = steppableClock();
    const returned = {
      accessToken: 'provided',
      tokenType: 'Bearer',
      issuedAt: clock.now(),
      expiresAt: clock.now() + 60_000,
      ...change,
    };
    const custom: TokenProvider = {
      key: `custom-${randomUUID()}`,
      label: 'custom',
      fetchToken: async () => returned as unknown as Token,
    };
    const auth = env.track(createTokenManager(custom, { origins: [API], clock, maxAttempts: 1 }));
    const outcomes: string[] = [];
    for (let lifetime = 0; lifetime < 10; lifetime++) {
      try {
        const token = await auth.getToken();
        outcomes.push(clock.now() < token.expiresAt ? 'valid' : 'expired');
      } catch (error) {
        outcomes.push((error as { code?: string }).code ?? 'untyped');
      }
      clock.shift(60_000);
    }
    expect(outcomes.filter((o) => o !== 'invalid_token_response' && o !== 'valid')).toEqual([]);
    expect(outcomes).toContain('invalid_token_response');
  });
});

describe('options of every entry point are validated', () => {
  const p = () => env.provider(env.uniquePath());
  it.each<[string, unknown]>([
    ['options', null],
    ['store', 'x'],
    ['store', 5],
    ['store', { get: 1 }],
    ['clock', { now: 1 }],
    ['fetch', 'fetch'],
    ['onEvent', 'log'],
    ['revokeOnClose', 'yes'],
    ['maxAttempts', 1.5],
    ['requestTimeoutMs', 0],
    ['refreshWindowMS', 1_000],
  ])('createTokenManager refuses %s = %o with InvalidOptionsError', (option, value) => {
    const options = option === 'options' ? value : { origins: [API], [option]: value };
    expect(() => createTokenManager(p(), options as TokenManagerOptions)).toThrow(
      expect.objectContaining({ code: 'invalid_options', option }),
    );
  });

  it('a misspelt option name gets a did-you-mean, and no option error quotes a secret', () => {
    const error = (() => {
      try {
        createTokenManager(p(), { origins: [API], refreshWindowMS: 1_000 } as never);
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    })();
    expect((error as Error).message).toContain('did you mean refreshWindowMs?');
    const storeError = (() => {
      try {
        createTokenManager(p(), { origins: [API], store: SECRET } as never);
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    })();
    expect(storeError).toMatchObject({ code: 'invalid_options', option: 'store' });
    assertNoSecrets([error, storeError], [SECRET]);
  });

  it('authFetch(null) is an InvalidOptionsError', () => {
    expect(() => authFetch(null as unknown as TokenManager)).toThrow(
      expect.objectContaining({ code: 'invalid_options' }),
    );
  });
});
