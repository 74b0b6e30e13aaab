// 1b. Instructions per whole request (callgrind): static-header client vs the same client with
// authwire, each arm in its own valgrind run counting only its loop of N requests, minus a run
// whose loop is empty (what switching instrumentation on and off costs). 1b′: a third arm, the
// static-header client with the hooks authwire installs doing nothing (lib/hook-floors.ts), splits
// the difference into the client's hook floor and authwire's own instructions (issue 21).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { bundleCallgrindWorker } from '../lib/bundle-worker.ts';
import { config } from '../lib/config.ts';
import { forkTs } from '../lib/processes.ts';
import { mean, round } from '../lib/stats.ts';

export const CALLGRIND_FAMILIES = [
  'axios',
  'got',
  'ky',
  'openapi-fetch',
  'fetch',
  'undici',
] as const;
export type CallgrindFamily = (typeof CALLGRIND_FAMILIES)[number];

/**
 * The arms per family (beside the empty loop): static header, + authwire's hooks doing nothing,
 * those hooks without the static header, authwire.
 */
const ARMS = ['static', 'hooks', 'bare-hooks', 'authwire'] as const;
type Arm = (typeof ARMS)[number];

/** BENCH_CALLGRIND=undici,fetch runs only those rows (valgrind runs take minutes each). */
function selectedFamilies(): readonly CallgrindFamily[] {
  const wanted = process.env.BENCH_CALLGRIND?.split(',').map((name) => name.trim());
  return wanted
    ? CALLGRIND_FAMILIES.filter((family) => wanted.includes(family))
    : CALLGRIND_FAMILIES;
}

export interface CallgrindRow {
  readonly family: CallgrindFamily;
  /** Instructions per request, static-header client (baseline run subtracted). */
  readonly staticPerRequest: number;
  readonly authwirePerRequest: number;
  readonly ratio: number;
  /** How far the ratio can move with the heap layout: the two arms' half-ranges over the static arm. */
  readonly ratioNoise: number;
  readonly addedPerRequest: number;
  /** Static header with authwire's hooks installed, doing nothing (the hook floor). */
  readonly hooksPerRequest: number;
  /** What the hooks alone cost: hooks arm − static arm, per request and as a fraction of it. */
  readonly floorPerRequest: number;
  readonly floorFraction: number;
  /** authwire's own work: authwire arm − hooks arm, per request and as a fraction of the static arm. */
  readonly ownPerRequest: number;
  readonly ownFraction: number;
  /**
   * authwire arm − the hooks arm without the static header: an upper bound of authwire's own work
   * (it includes setting the header), per request and as a fraction of the static arm.
   */
  readonly ownAboveBareHooksPerRequest: number;
  readonly ownAboveBareHooksFraction: number;
  /** How far `ownFraction` can move with the heap layout (hooks + authwire half-ranges, of static). */
  readonly ownNoise: number;
  /** Each arm's range over the heap layouts, as a fraction of the static arm. */
  readonly spread: { readonly static: number; readonly hooks: number; readonly authwire: number };
  /** Heap bytes allocated per request by each arm (no collection runs inside the counted loop). */
  readonly bytesPerRequest: {
    readonly static: number;
    readonly hooks: number;
    readonly authwire: number;
  };
}

export interface CallgrindResult {
  readonly skipped?: string;
  readonly warmup: number;
  readonly requests: number;
  /** Node flags under valgrind: one thread, no GC in the counted loop, fixed seeds. */
  readonly nodeFlags: readonly string[];
  readonly rows: readonly CallgrindRow[];
  /**
   * Heap layouts each arm runs in (worker `jitter` 0 … layouts − 1): counts are the mean, and a
   * ratio closer to its target than the arms' half-ranges is "within noise". Repeating a run
   * exactly gives the same count (±0.01 %), but an unrelated change to the bundle moves an arm by
   * 1-4.5 %: the layouts show that, one exact repeat does not.
   */
  readonly layouts: number;
}

// --predictable: no background compiler or GC threads; the seeds fixed, so a run's count does not
// depend on thread timing or hash-table layout. No collection inside the counted loop: a 64 MB new
// space (two semi-spaces), a full GC before the loop (--expose-gc, in the worker), a fixed heap
// growing factor and no memory reducer (its timers tick on wall time) — what
// --predictable-gc-schedule fixes, but with a new space the loop never fills (that flag pins it at
// 4 MB, so 1-3 scavenges landed in a 60-request loop, each worth ~80k instructions per request,
// more than the 0.5 % the hook-floor row judges). Ignition + Sparkplug only: in
// a loop short enough for valgrind, Maglev/TurboFan would still be compiling the code the counted
// requests run, and that one-time cost (+8 % for axios with a 40-request warm-up) would swamp the
// per-request difference being measured; the 100-request warm-up lets Sparkplug finish too.
export const NODE_FLAGS = [
  '--predictable',
  '--min-semi-space-size=64',
  '--max-semi-space-size=64',
  '--heap-growing-percent=30',
  '--no-memory-reducer',
  '--expose-gc',
  '--hash-seed=1',
  '--random-seed=1',
  '--no-maglev',
  '--no-turbofan',
] as const;

export function valgrindVersion(): string | undefined {
  const result = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const run = promisify(execFile);

/** What one worker run counted: instructions, and heap bytes its counted loop allocated. */
export interface RunCount {
  readonly instructions: number;
  readonly allocatedBytes: number;
}

/** Instructions of the counted loop of one worker run (see `countRun`). */
export async function countInstructions(worker: string, args: readonly string[]): Promise<number> {
  return (await countRun(worker, args)).instructions;
}

/**
 * Instructions of the counted loop of one worker run. Valgrind starts with instrumentation off
 * (process start and warm-up run uninstrumented, which also makes them faster); when the worker
 * says "ready", `callgrind_control -i on` switches it on, and after "done" off again, so the
 * total callgrind reports at exit ("Collected") is the counted loop plus the two switches.
 */
export function countRun(worker: string, args: readonly string[]): Promise<RunCount> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        ...NODE_FLAGS,
        worker,
        ...args,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CALLGRIND_HANDSHAKE: '1' } },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const toggle = async (on: boolean): Promise<void> => {
      await run('callgrind_control', ['-i', on ? 'on' : 'off', String(child.pid)]);
      child.stdin.write('next\n');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const step = stdout.endsWith('ready\n') ? true : stdout.endsWith('done\n') ? false : null;
      if (step !== null) toggle(step).catch(reject);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const match = /Collected\s*:\s*(\d+)/.exec(stderr);
      const allocated = /allocated (-?\d+)/.exec(stdout);
      if (code !== 0 || !match) {
        reject(new Error(`callgrind ${args.join(' ')} exited ${code}: ${stderr.slice(-400)}`));
      } else {
        resolve({ instructions: Number(match[1]), allocatedBytes: Number(allocated?.[1] ?? NaN) });
      }
    });
  });
}

/** Runs `jobs` at most `width` at a time, results in order. */
export async function pool<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, lane));
  return results;
}

export async function runCallgrind(log: (line: string) => void): Promise<CallgrindResult> {
  const { warmup, requests, parallel, layouts } = config.callgrind;
  const base = { warmup, requests, layouts, nodeFlags: NODE_FLAGS, rows: [] };
  if (!valgrindVersion()) return { ...base, skipped: 'valgrind not installed' };
  if (spawnSync('callgrind_control', ['-h']).error) {
    return { ...base, skipped: 'callgrind_control not found' };
  }
  const families = selectedFamilies();
  const workers = new Map<string, string>();
  for (const family of families) workers.set(family, await bundleCallgrindWorker(family));
  const server = await forkTs<{ port: number }>('lib/plain-server.ts');
  try {
    const port = String(server.first.port);
    const args = (kind: string, n: number, jitter: number) => [
      kind,
      String(warmup),
      String(n),
      port,
      String(jitter),
    ];
    // Per family: the empty loop once, then every arm in each heap layout (jitter 0 … layouts − 1).
    const plan = families.flatMap((family) => [
      { family, kind: 'none', jitter: 0 },
      ...ARMS.flatMap((kind) =>
        Array.from({ length: layouts }, (_, jitter) => ({ family, kind, jitter })),
      ),
    ]);
    const runs = await pool(
      plan.map(
        ({ family, kind, jitter }) =>
          () =>
            countRun(
              workers.get(family) as string,
              args(kind, kind === 'none' ? 0 : requests, jitter),
            ),
      ),
      parallel,
    );
    const rows = families.map((family): CallgrindRow => {
      const runsOf = (kind: string) =>
        plan.flatMap((p, i) =>
          p.family === family && p.kind === kind ? [runs[i] as RunCount] : [],
        );
      const [none] = runsOf('none') as [RunCount];
      const arm = (kind: Arm) => {
        const perRequest = runsOf(kind).map((r) => (r.instructions - none.instructions) / requests);
        const bytes = runsOf(kind).map((r) => (r.allocatedBytes - none.allocatedBytes) / requests);
        return {
          mean: mean(perRequest),
          halfRange: (Math.max(...perRequest) - Math.min(...perRequest)) / 2,
          bytes: Math.round(mean(bytes)),
        };
      };
      const bare = arm('static');
      const hooks = arm('hooks');
      const bareHooks = arm('bare-hooks');
      const authwire = arm('authwire');
      const ofBare = (value: number) => round(value / bare.mean, 5);
      return {
        family,
        staticPerRequest: Math.round(bare.mean),
        authwirePerRequest: Math.round(authwire.mean),
        ratio: round(authwire.mean / bare.mean, 4),
        ratioNoise: ofBare(bare.halfRange + authwire.halfRange),
        addedPerRequest: Math.round(authwire.mean - bare.mean),
        hooksPerRequest: Math.round(hooks.mean),
        floorPerRequest: Math.round(hooks.mean - bare.mean),
        floorFraction: ofBare(hooks.mean - bare.mean),
        ownPerRequest: Math.round(authwire.mean - hooks.mean),
        ownFraction: ofBare(authwire.mean - hooks.mean),
        ownNoise: ofBare(hooks.halfRange + authwire.halfRange),
        ownAboveBareHooksPerRequest: Math.round(authwire.mean - bareHooks.mean),
        ownAboveBareHooksFraction: ofBare(authwire.mean - bareHooks.mean),
        spread: {
          static: ofBare(2 * bare.halfRange),
          hooks: ofBare(2 * hooks.halfRange),
          authwire: ofBare(2 * authwire.halfRange),
        },
        bytesPerRequest: { static: bare.bytes, hooks: hooks.bytes, authwire: authwire.bytes },
      };
    });
    log('  callgrind: done');
    return { ...base, layouts, rows };
  } finally {
    server.child.disconnect();
  }
}
