// Refresh-token rotation across 4 processes sharing a real redis-server, against a real OpenID provider with reuse detection.
import { type ChildProcess, fork } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Idp, startIdp } from './idp.ts';

const redisUrl = process.env.AUTHWIRE_REDIS_URL;
const childPath = fileURLToPath(new URL('./fleet-child.ts', import.meta.url));
const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

interface Report {
  readonly tokens: string[];
  readonly errors: string[];
}

/** One child: its rotations as they happen, its report when stopped. */
class Member {
  readonly rotations: string[] = [];
  /** Digests of the access tokens it got, as it got them. */
  readonly seen: string[] = [];
  readonly #child: ChildProcess;
  readonly ready: Promise<void>;
  readonly report: Promise<Report | undefined>;
  readonly exited: Promise<void>;

  constructor(env: Record<string, string>) {
    this.#child = fork(childPath, {
      env: { ...process.env, ...env },
      execArgv: ['--conditions=@authwire/source', '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let onReady: () => void = () => {};
    let onReport: (report: Report | undefined) => void = () => {};
    this.ready = new Promise((resolve) => {
      onReady = resolve;
    });
    this.report = new Promise((resolve) => {
      onReport = resolve;
    });
    this.exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    this.exited.then(() => onReport(undefined));
    this.#child.on('message', (message: unknown) => {
      if (message === 'ready') onReady();
      const { rotated, seen, report } = (message ?? {}) as {
        rotated?: string;
        seen?: string;
        report?: Report;
      };
      if (rotated) this.rotations.push(rotated);
      if (seen) this.seen.push(seen);
      if (report) onReport(report);
    });
  }

  stop(): Promise<Report | undefined> {
    if (this.#child.connected) this.#child.send('stop');
    return this.report;
  }

  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.exited;
  }
}

/** Every value stored under `prefix`. */
async function redisValues(url: string, prefix: string): Promise<string[]> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      keys.push(...batch);
    }
    const values = await Promise.all(keys.map((key) => client.get(key)));
    await client.del(keys);
    return values.filter((value): value is string => typeof value === 'string');
  } finally {
    client.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `done` every 50 ms, for at most `ms`: a fleet that never gets there goes on to the
 * assertions, which say what is missing.
 */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(50);
}

/**
 * Whether the fleet is between renewals: `refreshes` renewals so far, and each one's access token
 * reached at least two of `members` (alive or not; a second refresh in one renewal gives a token only its own
 * process uses, so a fleet that spends refresh tokens twice never gets here).
 */
function settled(members: readonly Member[], refreshes: number): boolean {
  const counts = new Map<string, number>();
  for (const member of members) {
    for (const token of new Set(member.seen)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return refreshes > 0 && [...counts.values()].filter((n) => n >= 2).length >= refreshes;
}

describe.skipIf(redisUrl === undefined && !process.env.CI)('refreshToken() across a fleet', () => {
  let idp: Idp;
  beforeAll(async () => {
    // 3 s access tokens: a renewal every ~2.5 s, five or so in the run.
    idp = await startIdp({ accessTokenTtl: 3 });
  });
  afterAll(() => idp.close());

  it('spends each refresh token once fleet-wide, reports every rotation, survives a restart', async () => {
    const initial = await idp.seedRefreshToken();
    const env = {
      REDIS_URL: redisUrl as string,
      PREFIX: `authwire-test:${randomUUID()}:`,
      ISSUER: idp.issuer,
      CLIENT_SECRET: idp.secrets.refresh,
      REFRESH_TOKEN: initial,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const members = Array.from({ length: 4 }, () => new Member(env));
    const all = [...members];
    try {
      await Promise.all(members.map((member) => member.ready));
      // Two renewals, each shared (events, not a fixed time: a loaded machine only makes it later).
      const refreshCount = () => idp.grants.get('refresh_token') ?? 0;
      await until(() => refreshCount() >= 2 && settled(all, refreshCount()), 12_000);
      // A crash mid-way, and a restart with the same (long spent) configured refresh token.
      await members[1]?.kill();
      const restarted = new Member(env);
      all.push(restarted);
      members[1] = restarted;
      await restarted.ready;
      // Two more renewals with the restarted process in the fleet, each shared, and a token in the
      // restarted process.
      const atRestart = refreshCount();
      await until(
        () =>
          refreshCount() >= atRestart + 2 &&
          settled(all, refreshCount()) &&
          restarted.seen.length > 0,
        12_000,
      );
      const reports = await Promise.all(members.map((member) => member.stop()));

      const refreshes = idp.grants.get('refresh_token') ?? 0;
      const issued = idp.refreshTokens.slice(idp.refreshTokens.indexOf(initial) + 1).map(digest);
      const rotations = all.flatMap((member) => member.rotations);
      const seen = new Set(reports.flatMap((report) => report?.tokens ?? []));
      const sharedTokens = [...seen].filter(
        (token) => reports.filter((report) => report?.tokens.includes(token)).length >= 2,
      );
      console.info(
        `[oidc fleet] refresh requests ${refreshes}, rotations reported ${rotations.length}, ` +
          `access tokens seen ${seen.size}, seen by 2+ processes ${sharedTokens.length}`,
      );

      // Never revoked, never refused: no refresh token was spent twice.
      expect(idp.revokedGrants).toEqual([]);
      expect(idp.errors).toEqual([]);
      expect(reports.map((report) => report?.errors)).toEqual([[], [], [], []]);
      // Several renewals, each one refresh request fleet-wide: every issued token reached the
      // fleet and the processes shared it (a second refresh in one renewal would give a token
      // only its own process uses).
      expect(refreshes).toBeGreaterThanOrEqual(3);
      expect(seen.size).toBe(refreshes);
      expect(sharedTokens.length).toBeGreaterThanOrEqual(refreshes - 1);
      // onRotate saw every new refresh token, each once.
      expect(rotations.sort()).toEqual([...issued].sort());
      expect(issued).toHaveLength(refreshes);
      // The restarted process kept working.
      expect(reports[1]?.tokens.length).toBeGreaterThan(0);
      // The refresh token sat in Redis (as provider state) sealed: no value shows one in clear.
      const values = await redisValues(redisUrl as string, env.PREFIX);
      expect(values.length).toBeGreaterThanOrEqual(2);
      const shown = values.join('\n');
      expect(idp.refreshTokens.filter((token) => shown.includes(token))).toEqual([]);
    } finally {
      await Promise.all(all.map((member) => member.kill()));
    }
  }, 40_000);
});
