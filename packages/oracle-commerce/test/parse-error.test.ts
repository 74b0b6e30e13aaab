import { describe, expect, it } from 'vitest';
import { parseOracleError } from '../src/index.ts';

describe('parseOracleError', () => {
  it('reads the single-error model (status is a string)', () => {
    expect(
      parseOracleError({ message: 'Invalid application key', status: '401', errorCode: '83037' }),
    ).toEqual({ error: '83037', errorDescription: 'Invalid application key' });
  });

  it('reads the first entry of errors[] when the top level has no fields', () => {
    expect(
      parseOracleError({
        status: '400',
        errors: [
          { message: 'Missing header', errorCode: '82001', status: '400' },
          { message: 'other', errorCode: '2' },
        ],
      }),
    ).toEqual({ error: '82001', errorDescription: 'Missing header' });
  });

  it('prefers top-level fields over errors[]', () => {
    expect(
      parseOracleError({
        message: 'Top',
        errorCode: '1',
        errors: [{ message: 'n', errorCode: '2' }],
      }),
    ).toEqual({ error: '1', errorDescription: 'Top' });
  });

  it('accepts a numeric errorCode and a message alone', () => {
    expect(parseOracleError({ errorCode: 82001 })).toEqual({ error: '82001' });
    expect(parseOracleError({ message: 'Forbidden', status: '403' })).toEqual({
      errorDescription: 'Forbidden',
    });
  });

  it('reads RFC 6749 bodies too', () => {
    expect(parseOracleError({ error: 'invalid_client', error_description: 'bad' })).toEqual({
      error: 'invalid_client',
      errorDescription: 'bad',
    });
    expect(parseOracleError({ error: 'invalid_grant' })).toEqual({ error: 'invalid_grant' });
  });

  it.each([undefined, null, 'text', 42, [], {}, { status: '500' }, { errors: 'x' }])(
    'returns undefined for %j',
    (body) => {
      expect(parseOracleError(body)).toBeUndefined();
    },
  );
});
