// The `authwire` command: parses argv, fetches one token, prints what the user needs.
import { isAuthwireError, type Token, TokenEndpointError } from '@authwire/core';
import { parseFlags } from './flags.ts';
import type { Target } from './providers.ts';
import { TARGETS } from './targets.ts';
import { USAGE, UsageError } from './usage.ts';

/** Where the command reads its input and writes its output; injectable for tests. */
export interface RunOptions {
  /** Arguments after the program name, e.g. `['token', 'norce', '--curl']`. */
  readonly argv: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  /** The clock used to say "expires in"; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Runs the `authwire` command line and resolves to its exit code: 0 when a token was received,
 * 1 when the token request failed, 2 for a usage or configuration error.
 *
 * @example
 * ```ts
 * const code = await run({ argv: ['token', 'norce', '--curl'], env: process.env });
 * ```
 */
export async function run(options: RunOptions): Promise<number> {
  const { env = process.env, stdout = process.stdout, stderr = process.stderr } = options;
  const now = options.now ?? Date.now;
  let target: Target | undefined;
  try {
    const { values, positionals } = parseFlags(options.argv);
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    const [command, platform, ...rest] = positionals;
    const make =
      platform === undefined || !Object.hasOwn(TARGETS, platform) ? undefined : TARGETS[platform];
    if (command !== 'token' || rest.length > 0 || make === undefined) {
      throw new UsageError(
        command === undefined
          ? 'a command is required'
          : `unknown command: ${positionals.join(' ')}`,
      );
    }
    target = make(values, env);
    const token = await target.auth.getToken();

    // With --curl, stdout gets only the command (so it can be piped); the details go to stderr.
    const summary = values.curl ? stderr : stdout;
    summary.write(describe(target, token, now()));
    if (values.curl) {
      const url = target.curlUrl(typeof values.path === 'string' ? values.path : undefined);
      const authorization = await target.auth.authorize(url);
      if (!authorization)
        throw new UsageError(`--path must stay on ${target.auth.origins.join(', ')}`);
      stdout.write(`${curl(url, authorization.headers)}\n`);
    } else {
      summary.write(
        'Add --curl for a ready-to-paste curl command that calls the API with this token.\n',
      );
    }
    return 0;
  } catch (error) {
    return report(error, stderr);
  } finally {
    await target?.auth.close();
  }
}

function describe(target: Target, token: Token, now: number): string {
  const minutes = Math.round((token.expiresAt - now) / 60_000);
  const rows: (readonly [string, string])[] = [
    ['expires', `${new Date(token.expiresAt).toISOString()} (in ${minutes} min)`],
    ['scope', token.scope ?? '(none in the response)'],
    ['token type', token.tokenType],
    ...target.details,
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return `✓ ${target.title}\n${rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}\n`).join('')}`;
}

/** POSIX shell single quotes: nothing inside is expanded. */
const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

function curl(url: string, headers: Readonly<Record<string, string>>): string {
  const flags = Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
  return ['curl', ...flags, quote(url)].join(' ');
}

/** Prints an error without any secret (authwire errors are scrubbed) and picks the exit code. */
function report(error: unknown, stderr: { write(text: string): unknown }): number {
  if (error instanceof UsageError) {
    stderr.write(`authwire: ${error.message}\nRun \`authwire --help\` for usage.\n`);
    return 2;
  }
  if (isAuthwireError(error)) {
    const configuration = error.code === 'invalid_options' || error.code === 'insecure_url';
    stderr.write(`authwire: ${error.message} [${error.code}]\n`);
    const hint = hintFor(error);
    if (hint) stderr.write(`  ${hint}\n`);
    return configuration ? 2 : 1;
  }
  stderr.write(
    `authwire: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  return 1;
}

function hintFor(error: unknown): string | undefined {
  if (!(error instanceof TokenEndpointError)) return undefined;
  if (error.error === 'invalid_client')
    return 'The client id or secret is wrong (Norce Admin › Settings › Users › OAUTH).';
  if (error.error === 'invalid_scope')
    return "The scope is not accepted here: try --scope with your installation's spelling (lab, prod, …).";
  if (error.status === 401)
    return 'The application key was refused: it may have been reset or have expired.';
  return undefined;
}
