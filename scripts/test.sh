#!/usr/bin/env bash
# Restores, builds and runs every test: unit, in-process integration against Azurite, and end to end through the
# Azure Functions host (func) with the real dotnet NuGet client. Results: TestResults/*.trx. Extra arguments go to
# dotnet test (e.g. --filter FullyQualifiedName~OnHost).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
source scripts/func.sh
if [ -z "$FUNC" ]; then
  echo "warning: no func found; the tests on the Functions host will be reported as skipped." >&2
  (func_or_exit) || true
elif [ "$FUNC" != "$(command -v func 2>/dev/null)" ]; then
  export PATH="$(dirname "$FUNC"):$PATH"
fi
dotnet restore Feed.sln
dotnet build Feed.sln -c Release --no-restore
rm -rf TestResults
dotnet test Feed.sln -c Release --no-build --results-directory TestResults \
  --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" "$@"
