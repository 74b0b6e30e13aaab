// The error that means "the command line was wrong" (exit code 2). Its message names flags and positions, never values.

/**
 * A mistake on the command line or in the configuration: exit code 2.
 *
 * @example
 * throw new UsageError('--port must be a port number, 0 to 65535');
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
