#!/usr/bin/env bash
# `changeset status` for the test command: fails when a published package changed since the base
# branch and no pending changeset covers it. The base is `main` (.changeset/config.json); a clone
# without a local `main` (a clone of a feature branch) compares against origin/main, and a checkout
# with neither (a bare tag or detached CI ref) against HEAD, so a clean checkout never fails on a
# missing ref.
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse -q --verify refs/heads/main >/dev/null; then
  since=()
  echo "changeset-status: comparing with main"
elif git rev-parse -q --verify refs/remotes/origin/main >/dev/null; then
  since=(--since=origin/main)
  echo "changeset-status: no local main; comparing with origin/main"
else
  since=(--since=HEAD)
  echo "changeset-status: no main branch; reading the pending changesets only"
fi
exec node_modules/.bin/changeset status "${since[@]}"
