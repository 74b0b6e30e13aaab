// 3b. A fleet of N processes against one served Norce mock: per-process tokens vs a Redis-shared one.

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { config } from '../lib/config.ts';
import { credentials, serveNorce } from '../lib/fixture.ts';
import type { FleetReport, FleetRun } from '../lib/fleet-worker.ts';
import { forkTs } from '../lib/processes.ts';

export interface FleetRow {
  readonly processes: number;
  readonly perProcessTokenRequests: number;
  readonly redisTokenRequests: number | null;
  readonly failures: number;
}

export interface FleetResult {
  readonly requestsPerProcess: number;
  readonly redis: {
    readonly used: boolean;
    readonly source: string;
    readonly skippedReason?: string;
  };
  readonly rows: readonly FleetRow[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function ping(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

/** AUTHWIRE_REDIS_URL, else a redis-server this bench starts (and stops by its pid), else none. */
async function startRedis(): Promise<{
  url?: string;
  source: string;
  stop: () => Promise<void>;
  reason?: string;
}> {
  const given = process.env.AUTHWIRE_REDIS_URL;
  if (given) return { url: given, source: 'AUTHWIRE_REDIS_URL', stop: async () => {} };
  const port = await freePort();
  const pidfile = `/tmp/authwire-bench-redis-${port}.pid`;
  const started = await new Promise<boolean>((resolve) => {
    const child: ChildProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
        '--pidfile',
        pidfile,
      ],
      { stdio: 'ignore' },
    );
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
  if (!started)
    return {
      source: 'none',
      stop: async () => {},
      reason: 'no AUTHWIRE_REDIS_URL and no redis-server binary on PATH',
    };
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await ping(url)); i++) await new Promise((r) => setTimeout(r, 100));
  const stop = async (): Promise<void> => {
    const pid = Number((await readFile(pidfile, 'utf8').catch(() => '')).trim());
    if (pid > 0) process.kill(pid, 'SIGTERM');
  };
  return { url, source: `redis-server started on 127.0.0.1:${port}`, stop };
}

export async function runFleet(log: (line: string) => void): Promise<FleetResult> {
  const redis = await startRedis();
  const served = await serveNorce();
  const control = served.mock.control;
  const max = Math.max(...config.fleet);
  const args = [
    served.mock.tokenUrl,
    served.mock.apiOrigin,
    credentials.clientId,
    credentials.clientSecret,
    String(credentials.applicationId),
    ...(redis.url ? [redis.url] : []),
  ];
  const workers: ChildProcess[] = [];
  try {
    // Start the processes a few at a time: 16 cold TypeScript starts at once would swamp 2 cores.
    for (let i = 0; i < max; i += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, max - i) }, () =>
          forkTs<{ type: 'ready' }>('lib/fleet-worker.ts', args),
        ),
      );
      workers.push(...batch.map((w) => w.child));
    }
    log(`  fleet: ${max} processes ready`);
    const runOnce = async (n: number, mode: FleetRun['mode']) => {
      control.reset();
      const prefix = `authwire-bench:${process.pid}:${Date.now()}:${n}:`;
      const message: FleetRun = {
        type: 'run',
        mode,
        prefix,
        requests: config.fleetRequestsPerProcess,
      };
      const reports = await Promise.all(
        workers.slice(0, n).map(
          (worker) =>
            new Promise<FleetReport>((resolve) => {
              worker.once('message', (report) => resolve(report as FleetReport));
              worker.send(message);
            }),
        ),
      );
      return {
        tokenRequests: control.counters.tokenRequests,
        failures: reports.reduce((total, report) => total + report.failed, 0),
      };
    };
    const rows: FleetRow[] = [];
    for (const n of config.fleet) {
      const memory = await runOnce(n, 'memory');
      const shared = redis.url ? await runOnce(n, 'redis') : undefined;
      rows.push({
        processes: n,
        perProcessTokenRequests: memory.tokenRequests,
        redisTokenRequests: shared ? shared.tokenRequests : null,
        failures: memory.failures + (shared?.failures ?? 0),
      });
      log(`  fleet: N=${n} done`);
    }
    return {
      requestsPerProcess: config.fleetRequestsPerProcess,
      redis: {
        used: redis.url !== undefined,
        source: redis.source,
        ...(redis.reason ? { skippedReason: redis.reason } : {}),
      },
      rows,
    };
  } finally {
    for (const worker of workers) worker.disconnect();
    await served.close();
    await redis.stop();
  }
}
