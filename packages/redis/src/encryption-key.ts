// Validates `encryptionKey` up front and turns it into a non-extractable AES-256-GCM CryptoKey.
import { InvalidOptionsError } from '@authwire/core';
import { fromBase64 } from './bytes.ts';

/** 32 raw bytes, the same 32 bytes in base64, or an AES-GCM 256-bit `CryptoKey`. */
export type EncryptionKey =
  | Uint8Array
  | string
  // The global `CryptoKey` type is the DOM lib's; this names the same type without the DOM lib,
  // so the published typings check in a Node-only project too.
  | Awaited<ReturnType<typeof crypto.subtle.importKey>>;

type CryptoKey = Exclude<EncryptionKey, Uint8Array | string>;

const keyBytes = 32;

function isCryptoKey(value: object): value is CryptoKey {
  return 'algorithm' in value && 'type' in value && 'usages' in value && 'extractable' in value;
}

function invalid(message: string): InvalidOptionsError {
  return new InvalidOptionsError('encryptionKey', message);
}

/**
 * Checks the key synchronously (so `redisStore` throws at once) and returns a memoised import.
 * Messages give lengths and algorithms, never key material.
 */
export function prepareEncryptionKey(input: unknown): () => Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer> | undefined;
  if (typeof input === 'string') {
    raw = fromBase64(input.trim());
    if (raw === undefined) throw invalid('encryptionKey must be base64 (of 32 bytes)');
  } else if (input instanceof Uint8Array) {
    raw = new Uint8Array(input); // a copy: later changes to the caller's array do not apply
  } else if (typeof input === 'object' && input !== null && isCryptoKey(input)) {
    const algorithm = input.algorithm as Partial<AesKeyAlgorithm>;
    if (input.type !== 'secret' || algorithm.name !== 'AES-GCM' || algorithm.length !== 256) {
      throw invalid(
        `encryptionKey must be an AES-GCM 256-bit key, got ${String(algorithm.name)} ${String(algorithm.length ?? '')}`.trim(),
      );
    }
    if (!input.usages.includes('encrypt') || !input.usages.includes('decrypt')) {
      throw invalid('encryptionKey must allow both "encrypt" and "decrypt"');
    }
    const key = Promise.resolve(input);
    return () => key;
  } else {
    throw invalid('encryptionKey must be a Uint8Array, a base64 string or a CryptoKey');
  }
  if (raw.length !== keyBytes) {
    throw invalid(`encryptionKey must be ${keyBytes} bytes (AES-256), got ${raw.length}`);
  }
  const bytes = raw;
  let imported: Promise<CryptoKey> | undefined;
  return () => {
    imported ??= crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return imported;
  };
}
