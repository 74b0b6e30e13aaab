#!/usr/bin/env bash
# `pnpm test`: every check, in order, stopping at the first failure. The log stays plain for CI and
# for a file: no colour codes when the output is not a terminal or CI is set (vitest and
# picocolors colour output whenever CI is set or TERM is not dumb), and no turbo telemetry notice.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
if [ ! -t 1 ] || [ -n "${CI:-}" ]; then
  export NO_COLOR=1
  unset FORCE_COLOR
fi
turbo run build typecheck
biome check .
vitest run
size-limit
pnpm api-docs
bash scripts/changeset-status.sh
node test/consumer/run.mjs
bash scripts/runtime-matrix.sh
