#!/usr/bin/env node
// The `authwire` executable.
import { run } from './run.ts';

process.exitCode = await run({ argv: process.argv.slice(2) });
