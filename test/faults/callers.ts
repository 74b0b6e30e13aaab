// The fault suites' callers: the bare manager plus every subject of the driver registry (test/drivers).
import type { TokenManager } from '@authwire/core';
import { MANAGER, SUBJECTS } from '../drivers/index.ts';

/** Sends one GET; resolves with the HTTP status, rejects when no request could be made. */
export type Get = (url: string) => Promise<number>;

export interface Caller {
  readonly name: string;
  /** Builds the client for `auth`; call it after MSW listens (fetch-based clients capture fetch). */
  readonly create: (auth: TokenManager) => Get;
}

export const CALLERS: readonly Caller[] = [MANAGER, ...SUBJECTS].map((subject) => ({
  name: subject.name,
  create: (auth) => {
    const driver = subject.create(auth);
    return async (url) => (await driver.get(url)).status;
  },
}));
