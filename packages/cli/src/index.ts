export type { RunOptions } from './run.ts';
export { run } from './run.ts';
export { USAGE, UsageError } from './usage.ts';
