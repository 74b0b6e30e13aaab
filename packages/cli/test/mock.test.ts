// `authwire mock`: the @authwire/msw mocks served on real loopback ports (no MSW interception in this file).
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../src/index.ts';

const stops: AbortController[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop.abort();
});

function capture() {
  let stdout = '';
  let stderr = '';
  return {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    get out() {
      return stdout;
    },
    get err() {
      return stderr;
    },
  };
}

/** Starts `authwire mock …`; resolves once it listens, with its output and its exit. */
async function startMock(argv: string[]) {
  const io = capture();
  const stop = new AbortController();
  stops.push(stop);
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const exit = run({
    argv,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: stop.signal,
    onListening: listening,
  });
  const first = await Promise.race([url, exit.then((code) => `exited ${code}`)]);
  return { io, stop, exit, url: first };
}

/** The `export NAME='value'` lines the mock printed, as an environment. */
function exportsOf(printed: string): NodeJS.ProcessEnv {
  return Object.fromEntries(
    [...printed.matchAll(/^export ([A-Z_]+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
  );
}

async function token(argv: string[], env: NodeJS.ProcessEnv) {
  const io = capture();
  const code = await run({ argv, env, stdout: io.stdout, stderr: io.stderr });
  return { code, stdout: io.out, stderr: io.err };
}

describe('authwire mock norce', () => {
  it('serves the Norce mock, prints the URL and credentials, and `authwire token norce` works against it', async () => {
    const { io, url, stop, exit } = await startMock(['mock', 'norce']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(io.out).toContain(`Norce Commerce mock (@authwire/msw) on ${url}`);
    expect(io.out).toMatch(/client id +authwire-demo-client\n/);
    expect(io.out).toMatch(/client secret +authwire-demo-secret\n/);
    const env = exportsOf(io.out);
    expect(env).toEqual({
      NORCE_CLIENT_ID: 'authwire-demo-client',
      NORCE_CLIENT_SECRET: 'authwire-demo-secret',
      NORCE_APPLICATION_ID: '1234',
      NORCE_TOKEN_URL: `${url}/identity/1.0/connect/token`,
      NORCE_BASE_URL: url,
    });

    const fetched = await token(['token', 'norce', '--curl'], env);
    expect(fetched.code).toBe(0);
    expect(fetched.stderr).toMatch(/scope +playground\n/);
    // The printed curl line calls the served API: send its headers to its URL.
    expect(fetched.stdout).toMatch(/^curl -sS /);
    const headers = [...fetched.stdout.matchAll(/-H '([^']*)'/g)].map((m) => m[1]!);
    expect(headers).toEqual([
      'ApplicationId: 1234',
      expect.stringMatching(/^Authorization: Bearer \S+$/),
    ]);
    const target = /'(http[^']+)'\n$/.exec(fetched.stdout)![1]!;
    const response = await fetch(target, {
      headers: Object.fromEntries(headers.map((h) => h.split(': ') as [string, string])),
    });
    expect(response.status).toBe(200);

    stop.abort();
    expect(await exit).toBe(0);
    // Closed: nothing listens on the port any more.
    await expect(fetch(`${url}/identity/1.0/connect/token`, { method: 'POST' })).rejects.toThrow();
  });

  it('listens on --port, and says so when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const taken = await startMock(['mock', 'norce', '--port', String(port)]);
      expect(taken.url).toBe('exited 2');
      expect(taken.io.err).toContain(`mock: port ${port} is in use`);
    } finally {
      blocker.close();
      await once(blocker, 'close');
    }
    const { url } = await startMock(['mock', 'norce', '--port', String(port)]);
    expect(url).toBe(`http://127.0.0.1:${port}`);
  });
});

describe('authwire mock oracle', () => {
  it('serves the Oracle mock with an application key it accepts (--json)', async () => {
    const { io, url } = await startMock(['mock', 'oracle', '--json']);
    const printed = JSON.parse(io.out);
    expect(printed).toMatchObject({ ok: true, platform: 'oracle', url });
    expect(printed.env.OCC_BASE_URL).toBe(url);
    expect(printed.accepts['application key']).toBe(printed.env.OCC_APPLICATION_KEY);
    const fetched = await token(['token', 'oracle', '--json'], printed.env);
    expect(fetched.code).toBe(0);
    expect(JSON.parse(fetched.stdout)).toMatchObject({ ok: true, platform: 'oracle' });
  });
});

describe('authwire mock without @authwire/msw installed', () => {
  it('says what to install (a usage error, exit 2)', async () => {
    const { serveMockCommand } = await import('../src/mock.ts');
    const { PLATFORMS } = await import('../src/platforms.ts');
    const missing = Object.assign(new Error("Cannot find package '@authwire/msw'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const io = capture();
    await expect(
      serveMockCommand(
        PLATFORMS[0]!,
        {},
        { stdout: io.stdout, loadMsw: () => Promise.reject(missing) },
      ),
    ).rejects.toThrow(/needs @authwire\/msw and msw installed beside the CLI: npm install -g/);
    expect(io.out).toBe('');
  });
});
