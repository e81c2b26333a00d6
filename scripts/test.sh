#!/usr/bin/env bash
# Restores, builds and runs every test (unit + integration against Azurite + the real dotnet NuGet client).
# Results: TestResults/*.trx. Extra arguments go to dotnet test (e.g. --filter Category!=Slow).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
dotnet restore Feed.sln
dotnet build Feed.sln -c Release --no-restore
rm -rf TestResults
dotnet test Feed.sln -c Release --no-build --results-directory TestResults \
  --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" "$@"
