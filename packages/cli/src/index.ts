export type { RunOptions } from './run.ts';
export { run, VERSION } from './run.ts';
export { USAGE } from './usage.ts';
export { UsageError } from './usage-error.ts';
