// Child processes the bench starts (plain server, fleet workers), always ended by their own pid.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const children = new Set<ChildProcess>();

/** Forks a TypeScript file of bench/ with the source condition; resolves with its first message. */
export function forkTs<T>(
  relative: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; first: T }> {
  const path = fileURLToPath(new URL(`../${relative}`, import.meta.url));
  const child = fork(path, args, {
    execArgv: ['--conditions=@authwire/source', '--no-warnings'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('message', (first) => resolve({ child, first: first as T }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${relative} exited early (${code})`)));
  });
}

/** Ends every child this bench started (by pid) and waits for them to exit. */
export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}
