// Runs N worker processes against one Redis and token endpoint, starting them all at once.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerConfig, WorkerMessage } from './worker.ts';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

export type WorkerReport = Extract<WorkerMessage, { type: 'done' }>;

function nextMessage(child: ChildProcess): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`fleet worker exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      const parsed = message as WorkerMessage;
      if (parsed.type === 'failed') reject(new Error(`fleet worker failed: ${parsed.message}`));
      else resolve(parsed);
    });
  });
}

/** Forks `configs.length` workers, releases them together, and collects their reports. */
export async function runFleet(configs: readonly WorkerConfig[]): Promise<WorkerReport[]> {
  const children = configs.map((config) =>
    fork(workerPath, {
      // Workspace packages resolve to src/ (run by Node's type stripping), as under vitest.
      execArgv: ['--conditions=@authwire/source', '--disable-warning=ExperimentalWarning'],
      env: { ...process.env, AUTHWIRE_FLEET_WORKER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await Promise.all(children.map(nextMessage)); // every worker connected: `ready`
    const reports = children.map(nextMessage);
    for (const child of children) child.send('go');
    return (await Promise.all(reports)) as WorkerReport[];
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }
}
