import { describe, expect, it } from 'vitest';
import { decodeJwtPayload, makeFakeJwt, makeOracleApplicationKey } from '../src/index.ts';

describe('fake JWTs', () => {
  it('round-trips claims through decodeJwtPayload', () => {
    const token = makeFakeJwt({ sub: 'x', exp: 123, nested: { a: [1] } });
    expect(token.split('.')).toHaveLength(3);
    expect(decodeJwtPayload(token)).toEqual({ sub: 'x', exp: 123, nested: { a: [1] } });
  });

  it('uses base64url by default and standard base64 on request', () => {
    for (let i = 0; i < 20; i++) {
      expect(makeFakeJwt({}).split('.')[2]).toMatch(/^[\w-]{43}$/);
      expect(makeFakeJwt({}, { signature: 'base64' }).split('.')[2]).toMatch(/^[\w+/]{43}=$/);
    }
  });

  it('decodes leniently and refuses what is not a JWT object payload', () => {
    const payload = Buffer.from('{"sub":"é"}').toString('base64').replace(/=+$/, '');
    expect(decodeJwtPayload(`h.${payload}.s`)).toEqual({ sub: 'é' });
    expect(decodeJwtPayload('opaque')).toBeUndefined();
    expect(decodeJwtPayload('a.b')).toBeUndefined();
    expect(decodeJwtPayload(`h.${Buffer.from('[1]').toString('base64url')}.s`)).toBeUndefined();
    expect(decodeJwtPayload('h.%%%.s')).toBeUndefined();
  });

  it('makes Oracle-style application keys with iss adminUI', () => {
    const key = makeOracleApplicationKey({ subject: 'app-1', issuedAt: 1_000_000 });
    expect(decodeJwtPayload(key)).toMatchObject({ sub: 'app-1', iss: 'adminUI', iat: 1000 });
    expect(key).toMatch(/=$/);
    expect(makeOracleApplicationKey()).not.toBe(makeOracleApplicationKey());
  });
});
