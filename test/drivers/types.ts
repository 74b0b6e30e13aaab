// What every suite speaks to: a client wired to a manager (a Driver), and a Subject that builds one.
import type { TokenManager } from '@authwire/core';

export interface DriverOptions {
  readonly signal?: AbortSignal;
  /** The client's own timeout, in ms. */
  readonly timeoutMs?: number;
  /** The adapter's per-request opt-out (no token). */
  readonly skipAuth?: boolean;
}

/** What a request ended with. HTTP errors are results; anything else is thrown. */
export interface DriverResult {
  readonly status: number;
  /** The parsed JSON body, or the text. */
  readonly body: unknown;
  /** The client's error object for a non-2xx status (axios, ky, got). */
  readonly error?: unknown;
}

/** A client wired to `auth` through the adapter, spoken to in one small uniform way. */
export interface Driver {
  get(url: string, options?: DriverOptions): Promise<DriverResult>;
  /** `body` is a plain object (send as JSON), a string, URLSearchParams, FormData, Blob, ArrayBuffer or ReadableStream. */
  post(url: string, body: unknown, options?: DriverOptions): Promise<DriverResult>;
}

/**
 * What a subject can do. Every flag defaults to `true`; a subject switches one off with a
 * comment saying why, and the suite then runs the group's other branch or leaves it out.
 */
export interface Capabilities {
  /** A one-shot stream body is replayed after a 401 (otherwise the 401 reaches the caller). */
  readonly streamBodyRetry: boolean;
  /** Building the client refuses something that is not a TokenManager with a typed error. */
  readonly checksManager: boolean;
  /** One request can opt out of authentication (`skipAuth`). */
  readonly optOut: boolean;
  /** A 401 from one of the manager's origins is healed with one fresh token and one retry. */
  readonly heals401: boolean;
  /** The client itself sends a native FormData body as multipart (with or without authwire). */
  readonly formDataBody: boolean;
}

/** One way a caller reaches an API through authwire: the suites run every scenario per subject. */
export interface Subject {
  /** e.g. `axios`, `got 14`, `authFetch`. */
  readonly name: string;
  /**
   * Builds a client for `auth`. Called once or more per test, after MSW listens (fetch-based
   * clients capture `globalThis.fetch` when they are created).
   */
  readonly create: (auth: TokenManager) => Driver;
  /** The flags this subject switches off, each with its reason beside it. */
  readonly capabilities?: Partial<Capabilities>;
}

const ALL: Capabilities = {
  streamBodyRetry: true,
  checksManager: true,
  optOut: true,
  heals401: true,
  formDataBody: true,
};

export function capabilitiesOf(subject: Subject): Capabilities {
  return { ...ALL, ...subject.capabilities };
}
