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
# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers here); without it they
# are reported as skipped. Installed when this runs as root on a Debian-like machine, as in CI.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get)..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
  echo "warning: /usr/bin/chromium is missing (apt-get install chromium); the browser tests will be reported as skipped." >&2
fi
dotnet restore Feed.sln
dotnet build Feed.sln -c Release --no-restore
rm -rf TestResults
# Benchmarks written as tests (Category=Benchmark, e.g. page latency) are run on demand, not with the suite.
filter=(--filter "Category!=Benchmark")
for arg in "$@"; do [ "$arg" = "--filter" ] && filter=(); done
dotnet test Feed.sln -c Release --no-build --results-directory TestResults \
  --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" "${filter[@]}" "$@"
