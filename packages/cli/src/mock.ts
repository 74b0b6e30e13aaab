// `authwire mock <platform>`: serves the platform's @authwire/msw mock on a loopback port until stopped.
import type { Flags } from './flags.ts';
import type { MswModule, Platform } from './platforms.ts';
import { UsageError } from './usage-error.ts';

export interface MockIo {
  readonly stdout: { write(text: string): unknown };
  /** Serving stops when it aborts (the executable aborts it on Ctrl-C / SIGTERM). */
  readonly signal?: AbortSignal | undefined;
  readonly loadMsw: () => Promise<MswModule>;
  /** Called once the mock listens, with the URL (for tests and embedding). */
  readonly onListening?: ((url: string) => void) | undefined;
}

const INSTALL_HINT =
  'authwire mock needs @authwire/msw and msw installed beside the CLI: ' +
  'npm install -g @authwire/cli @authwire/msw msw, or ' +
  'npx -p @authwire/cli -p @authwire/msw -p msw authwire mock <platform>';

function portOf(flags: Flags): number {
  const given = flags.port;
  if (given === undefined) return 0;
  const port = typeof given === 'string' && /^\d{1,5}$/.test(given) ? Number(given) : Number.NaN;
  if (!(port >= 0 && port <= 65_535))
    throw new UsageError('--port must be a port number, 0 to 65535');
  return port;
}

async function load(loadMsw: () => Promise<MswModule>): Promise<MswModule> {
  try {
    return await loadMsw();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new UsageError(INSTALL_HINT);
    throw error;
  }
}

/** Shell-ready `export` lines: values single-quoted. */
const exports = (env: Readonly<Record<string, string>>): string =>
  Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replaceAll("'", "'\\''")}'`)
    .join('\n');

/** Serves the mock, prints where and with which credentials, and resolves when `signal` aborts. */
export async function serveMockCommand(
  platform: Platform,
  flags: Flags,
  io: MockIo,
): Promise<number> {
  for (const [name, value] of Object.entries(flags)) {
    if (value !== undefined && !['port', 'json', 'help'].includes(name)) {
      throw new UsageError(`mock: --${name} is not a mock option (mock takes --port and --json)`);
    }
  }
  const port = portOf(flags);
  if (!platform.mock) throw new UsageError(`mock: no mock for ${platform.name} yet`);
  const msw = await load(io.loadMsw);
  let served: Awaited<ReturnType<NonNullable<Platform['mock']>>>;
  try {
    served = await platform.mock(msw, port);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new UsageError(`mock: port ${port} is in use; pick another with --port, or --port 0`);
    }
    throw error;
  }
  try {
    if (flags.json) {
      io.stdout.write(
        `${JSON.stringify({ ok: true, platform: platform.name, url: served.url, accepts: Object.fromEntries(served.rows), env: served.env })}\n`,
      );
    } else {
      const width = Math.max(...served.rows.map(([name]) => name.length));
      const rows = served.rows
        .map(([name, value]) => `  ${name.padEnd(width)}  ${value}\n`)
        .join('');
      io.stdout.write(
        `${platform.title} mock (@authwire/msw) on ${served.url} — Ctrl-C stops it\n${rows}\n` +
          `Point the CLI or your app at it:\n${exports(served.env)}\nauthwire token ${platform.name}\n`,
      );
    }
    io.onListening?.(served.url);
    await untilAborted(io.signal);
    return 0;
  } finally {
    await served.close();
  }
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  // Without a signal the mock serves until the process ends.
  if (!signal) return new Promise<void>(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
