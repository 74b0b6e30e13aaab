// The `authwire` command: parses argv, then fetches one token or serves a mock, and prints what the user needs.
import { readFileSync } from 'node:fs';
import { isAuthwireError, TokenEndpointError } from '@authwire/core';
import { commandLine } from './command-line.ts';
import { type Flags, parseFlags } from './flags.ts';
import { serveMockCommand } from './mock.ts';
import { curlCommand, describeToken, tokenJson } from './output.ts';
import type { MswModule, Platform } from './platforms.ts';
import type { Target } from './providers.ts';
import { terminalSafe } from './terminal.ts';
import { USAGE } from './usage.ts';
import { UsageError } from './usage-error.ts';

/** Where the command reads its input and writes its output; injectable for tests. */
export interface RunOptions {
  /** Arguments after the program name, e.g. `['token', 'norce', '--curl']`. */
  readonly argv: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  /** The clock used to say "expires in"; default `Date.now`. */
  readonly now?: () => number;
  /** `authwire mock` serves until this aborts (the executable aborts it on Ctrl-C); default: forever. */
  readonly signal?: AbortSignal;
  /** `authwire mock`: called with the mock's URL once it listens. */
  readonly onListening?: (url: string) => void;
}

/**
 * The CLI's own version, from its package.json (one level above both src/ and dist/); what
 * `authwire --version` prints.
 *
 * @example
 * ```ts
 * console.log(`@authwire/cli ${VERSION}`);
 * ```
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/**
 * Runs the `authwire` command line and resolves to its exit code: 0 when a token was received
 * (or the mock stopped), 1 when the token request failed, 2 for a usage or configuration error.
 *
 * @example
 * ```ts
 * const code = await run({ argv: ['token', 'norce', '--curl'], env: process.env });
 * ```
 */
export async function run(options: RunOptions): Promise<number> {
  const { env = process.env, stdout = process.stdout, stderr = process.stderr } = options;
  // Known before parsing, so that a usage error is JSON too.
  const json = options.argv.includes('--json');
  let target: Target | undefined;
  let dnsHint: string | undefined;
  try {
    const { values, positionals } = parseFlags(options.argv);
    if (values.version) {
      stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    const { command, platform } = commandLine(positionals);
    dnsHint = platform.hostNotFoundHint(values, env);
    if (command === 'mock') {
      return await serveMockCommand(platform, values, {
        stdout,
        signal: options.signal,
        onListening: options.onListening,
        loadMsw: () => import('@authwire/msw') as Promise<MswModule>,
      });
    }
    // AUTHWIRE_DEBUG as given in `env` (the CLI's own environment), one line per event on stderr.
    const debug = debugWanted(env)
      ? (line: string) => stderr.write(`${terminalSafe(line, 2_000)}\n`)
      : undefined;
    target = platform.target(values, env, debug);
    return await token(platform, target, values, { stdout, stderr, now: options.now ?? Date.now });
  } catch (error) {
    return report(error, json ? stdout : stderr, json, dnsHint);
  } finally {
    await target?.auth.close();
  }
}

async function token(
  platform: Platform,
  target: Target,
  flags: Flags,
  io: {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    now: () => number;
  },
): Promise<number> {
  const received = await target.auth.getToken();
  let curl: string | undefined;
  if (flags.curl) {
    const url = target.curlUrl(typeof flags.path === 'string' ? flags.path : undefined);
    const authorization = await target.auth.authorize(url);
    if (!authorization)
      throw new UsageError(`--path must stay on ${target.auth.origins.join(', ')}`);
    curl = curlCommand(url, authorization.headers);
  }
  if (flags.json) {
    io.stdout.write(tokenJson(platform.name, target, received, io.now(), curl));
    return 0;
  }
  // With --curl, stdout gets only the command (so it can be piped); the details go to stderr.
  const summary = curl === undefined ? io.stdout : io.stderr;
  summary.write(describeToken(target, received, io.now()));
  if (curl === undefined) {
    summary.write(
      'Add --curl for a ready-to-paste curl command that calls the API with this token.\n',
    );
  } else {
    io.stdout.write(`${curl}\n`);
  }
  return 0;
}

/** Prints an error without any secret (authwire errors are scrubbed) and picks the exit code. */
function report(
  error: unknown,
  out: { write(text: string): unknown },
  json: boolean,
  dnsHint: string | undefined,
): number {
  const { code, message, exit, hint, network } = classify(error, dnsHint);
  if (json) {
    out.write(
      `${JSON.stringify({ ok: false, exitCode: exit, error: { code, message, ...(network ? { network } : {}), ...(hint ? { hint } : {}) } })}\n`,
    );
  } else if (code === 'usage') {
    out.write(`authwire: ${message}\nRun \`authwire --help\` for usage.\n`);
  } else {
    out.write(`authwire: ${message}${code === 'unexpected' ? '' : ` [${code}]`}\n`);
    if (hint) out.write(`  ${hint}\n`);
  }
  return exit;
}

function classify(
  error: unknown,
  dnsHint: string | undefined,
): {
  code: string;
  message: string;
  exit: number;
  hint?: string | undefined;
  network?: string | undefined;
} {
  if (error instanceof UsageError)
    return { code: 'usage', message: terminalSafe(error.message), exit: 2 };
  if (isAuthwireError(error)) {
    const configuration = error.code === 'invalid_options' || error.code === 'insecure_url';
    const network = error instanceof TokenEndpointError ? error.network : undefined;
    return {
      code: error.code,
      message: terminalSafe(error.message),
      exit: configuration ? 2 : 1,
      hint: hintFor(error, dnsHint),
      network,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'unexpected', message: `unexpected error: ${terminalSafe(text)}`, exit: 1 };
}

/** AUTHWIRE_DEBUG is on unless unset, empty, `0` or `false` (as in core). */
function debugWanted(env: NodeJS.ProcessEnv): boolean {
  const value = env.AUTHWIRE_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function hintFor(error: unknown, dnsHint: string | undefined): string | undefined {
  if (!(error instanceof TokenEndpointError)) return undefined;
  if (error.network === 'dns') return dnsHint;
  if (error.error === 'invalid_client')
    return 'The client id or secret is wrong (Norce Admin › Settings › Users › OAUTH).';
  if (error.error === 'invalid_scope')
    return "The scope is not accepted here: try --scope with your installation's spelling (lab, prod, …).";
  if (error.status === 401)
    return 'The application key was refused: it may have been reset or have expired.';
  if (error.network === 'refused')
    return 'Nothing answers there. For a local mock: authwire mock <platform> (see --help).';
  return undefined;
}
