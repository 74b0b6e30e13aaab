#!/usr/bin/env node
// The `authwire` executable: Ctrl-C / SIGTERM stop `authwire mock` cleanly.
import { run } from './run.ts';

const stop = new AbortController();
const onSignal = (): void => stop.abort();
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
process.exitCode = await run({ argv: process.argv.slice(2), signal: stop.signal });
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
