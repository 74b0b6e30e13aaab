// Runs N worker processes against one Redis and one served mock, and releases them at once.
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  deleteKeys,
  ioredis,
  requireRedisUrl,
  type TestClient,
  uniquePrefix,
} from '../redis-env.ts';
import { type NorceMock, norceProvider, type ServedMock, serveMock } from './siblings.ts';
import {
  fleetNorceOptions,
  type ParentMessage,
  type WorkerConfig,
  type WorkerMessage,
  type WorkerStats,
} from './worker.ts';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** How long a worker gets to exit on its own before it is killed. */
const exitGraceMs = 5_000;

/** One worker process. */
export interface FleetMember {
  readonly index: number;
  readonly config: WorkerConfig;
  /** Whether it was killed on purpose (its missing report is then expected). */
  readonly killed: boolean;
  /** SIGKILL, as a crash: no `finally`, no lock release. */
  kill(): Promise<void>;
}

export interface Fleet {
  readonly members: readonly FleetMember[];
  /** Indexes of the members that sent a token request, in order. */
  readonly fetchStarts: readonly number[];
  /** When each of `fetchStarts` reached this process (`Date.now()`). */
  readonly fetchStartTimes: readonly number[];
  /**
   * Releases every worker at once (they are all connected and waiting); with `at` (epoch ms),
   * each starts at that moment rather than when the message arrives.
   */
  go(at?: number): void;
  /**
   * For `tenants` workers with `othersAfterFleet`: once every member has tried its own tenants'
   * locks, tells them all to go on to the others.
   */
  releaseOthers(): Promise<void>;
  /** A status report from each living member, in member order. */
  status(): Promise<WorkerStats[]>;
  /** Final reports of the living members (`burst` workers send theirs when done). */
  reports(): Promise<WorkerStats[]>;
  /** Asks `load` workers to finish, then returns their final reports. */
  stop(): Promise<WorkerStats[]>;
  /** Kills whatever still runs and waits for every process to exit. Safe to call twice. */
  close(): Promise<void>;
}

const open = new Set<Fleet>();

/** Closes every fleet still open: for `afterEach`, so a timed-out test leaves no processes. */
export async function closeFleets(): Promise<void> {
  await Promise.all([...open].map((fleet) => fleet.close()));
}

class Member implements FleetMember {
  readonly index: number;
  readonly config: WorkerConfig;
  killed = false;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #error: Error | undefined;
  #waiters: {
    type: WorkerMessage['type'];
    resolve: (m: WorkerMessage) => void;
    reject: (e: Error) => void;
  }[] = [];
  #done: Promise<WorkerStats>;
  /** Registered at once: a message nobody waits for yet is dropped. */
  readonly ownClaimed: Promise<WorkerMessage>;

  constructor(index: number, config: WorkerConfig, onFetch: (index: number) => void) {
    this.index = index;
    this.config = config;
    this.#child = fork(workerPath, {
      // Workspace packages resolve to src/ (run by Node's type stripping), as under vitest.
      execArgv: ['--conditions=@authwire/source', '--disable-warning=ExperimentalWarning'],
      env: { ...process.env, AUTHWIRE_FLEET_WORKER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.on('message', (message: WorkerMessage) => {
      if (message.type === 'fetch-started') onFetch(index);
      else if (message.type === 'failed')
        this.#fail(new Error(`worker ${index}: ${message.message}`));
      else this.#deliver(message);
    });
    this.#child.once('exit', (code, signal) =>
      this.#fail(new Error(`worker ${index} exited (${signal ?? code}) before answering`)),
    );
    this.#child.once('error', (error) => this.#fail(error));
    this.#done = this.next('done') as Promise<WorkerStats>;
    this.#done.catch(() => {}); // awaited only for living members
    this.ownClaimed = this.next('own-claimed');
    this.ownClaimed.catch(() => {}); // awaited only by releaseOthers
  }

  /** The next message of `type`; rejects if the worker fails or exits first. */
  next(type: WorkerMessage['type']): Promise<WorkerMessage> {
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#waiters.push({ type, resolve, reject }));
  }

  done(): Promise<WorkerStats> {
    return this.#done;
  }

  send(message: ParentMessage): void {
    if (this.#child.connected) this.#child.send(message);
  }

  async kill(): Promise<void> {
    this.killed = true;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), exitGraceMs);
      await this.#exited;
      clearTimeout(timer);
    }
  }

  #deliver(message: WorkerMessage): void {
    const at = this.#waiters.findIndex((waiter) => waiter.type === message.type);
    if (at === -1) return;
    const [waiter] = this.#waiters.splice(at, 1);
    waiter?.resolve(message);
  }

  #fail(error: Error): void {
    this.#error ??= error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#error);
  }
}

/** Forks one worker per config and resolves once all of them are connected and waiting. */
export async function startFleet(configs: readonly WorkerConfig[]): Promise<Fleet> {
  const fetchStarts: number[] = [];
  const fetchStartTimes: number[] = [];
  const members = configs.map(
    (config, i) =>
      new Member(i, config, (index) => {
        fetchStarts.push(index);
        fetchStartTimes.push(Date.now());
      }),
  );
  const living = () => members.filter((member) => !member.killed);
  const ready = members.map((member) => member.next('ready'));
  let closed: Promise<void> | undefined;
  const fleet: Fleet = {
    members,
    fetchStarts,
    fetchStartTimes,
    go: (at) => {
      for (const member of members)
        member.send(at === undefined ? { type: 'go' } : { type: 'go', at });
    },
    async releaseOthers() {
      await Promise.all(members.map((member) => member.ownClaimed));
      for (const member of members) member.send({ type: 'others' });
    },
    async status() {
      return Promise.all(
        living().map((member) => {
          const answer = member.next('status');
          member.send({ type: 'status' });
          return answer as Promise<WorkerStats>;
        }),
      );
    },
    reports: () => Promise.all(living().map((member) => member.done())),
    async stop() {
      for (const member of living()) member.send({ type: 'stop' });
      return fleet.reports();
    },
    close() {
      closed ??= (async () => {
        // Living workers end on `stop` or on the IPC channel closing; killed ones are gone.
        for (const member of living()) member.send({ type: 'stop' });
        await Promise.all(members.map((member) => member.close()));
        open.delete(fleet);
      })();
      return closed;
    },
  };
  open.add(fleet);
  try {
    await Promise.all(ready);
  } catch (error) {
    await fleet.close();
    throw error;
  }
  return fleet;
}

/** Starts a fleet of `burst` workers, releases them together and collects their reports. */
export async function runFleet(configs: readonly WorkerConfig[]): Promise<WorkerStats[]> {
  const fleet = await startFleet(configs);
  try {
    fleet.go();
    return await fleet.reports();
  } finally {
    await fleet.close();
  }
}

/** The `fp` (token fingerprint) of the entry the fleet of `config` shares in Redis, if any. */
export async function storedFingerprint(
  redis: TestClient,
  config: WorkerConfig,
): Promise<string | undefined> {
  const cacheKey = norceProvider(fleetNorceOptions(config)).key;
  const hashed = createHash('sha256').update(cacheKey).digest('hex');
  const raw = await redis.command(['GET', `${config.prefix}token:${hashed}`]);
  if (raw === null || raw === undefined) return undefined;
  return (JSON.parse(String(raw)) as { fp?: string }).fp;
}

/** What every fleet test on the shared Redis holds: a client to inspect it, a served mock. */
export interface SharedRedisFleet {
  /** A client on `AUTHWIRE_REDIS_URL` (connected before the first test). */
  readonly redis: TestClient;
  /** Serves `mock` for this test; it is closed after the test. */
  serve<M extends NorceMock>(mock: (baseUrl: string) => M): Promise<ServedMock<M>>;
  /** A fresh key prefix for this test; its keys are deleted after the file. */
  prefix(): string;
}

/**
 * The set-up of a fleet test file on the shared Redis: inspection client, served mock closed and
 * fleets stopped after each test, every prefix a test used deleted at the end.
 */
export function sharedRedisFleet(): SharedRedisFleet {
  let redis: TestClient | undefined;
  let served: ServedMock<NorceMock> | undefined;
  const prefixes: string[] = [];
  beforeAll(async () => {
    redis = await ioredis.connect(requireRedisUrl());
  });
  afterEach(async () => {
    await closeFleets();
    await served?.close();
    served = undefined;
  });
  afterAll(async () => {
    for (const prefix of prefixes) if (redis) await deleteKeys(redis, prefix);
    await redis?.close();
  });
  return {
    get redis() {
      if (!redis) throw new Error('sharedRedisFleet: Redis is connected in beforeAll');
      return redis;
    },
    async serve(mock) {
      const started = await serveMock(mock);
      served = started;
      return started;
    },
    prefix() {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return prefix;
    },
  };
}
