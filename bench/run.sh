#!/usr/bin/env bash
# Runs the feed's six end-to-end benchmarks and prints one table (feed vs. a floor measured in the same run):
#   bench/run.sh            full run (about 6-9 minutes on 2 cores)
#   bench/run.sh --smoke    each benchmark once, minimally (only proves the benchmarks work; numbers mean nothing)
#   bench/run.sh --only retention   a simulated month of CI with retention off and on (not in the default run; docs/benchmarks.md)
# Extra arguments go to FeedBench (e.g. --only latency memory, --markdown results.md).
# Installs nothing beyond npm ci (Azurite, when node_modules is missing) and dotnet restore. Publishes the feed and
# an empty isolated-worker app (bench/EmptyFunctionApp) with scripts/publish.sh into bench/.out/, serves them with
# the Azure Functions host (func, found as scripts/func.sh does), starts its own in-memory Azurite on free loopback
# ports, and stops it by its PID when done (also on failure or Ctrl+C).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=$(pwd)/bench/.out
mkdir -p "$out"

# Only a missing Azurite triggers npm ci: a worktree whose node_modules is a symlink to another checkout must not
# have it wiped and reinstalled (npm ci deletes through the link) just because its package-lock.json is newer.
if [ ! -f node_modules/azurite/dist/src/azurite.js ]; then
  if [ -L node_modules ]; then
    echo "node_modules is a symlink without Azurite in it; run 'npm ci' where it points to" >&2
    exit 1
  fi
  bash scripts/ensure-node-modules.sh
fi

source scripts/func.sh
func_or_exit

echo "Publishing the feed and the empty function app (ReadyToRun, linux-x64)..." >&2
PUBLISH_DIR="$out/feed" bash scripts/publish.sh >"$out/publish-feed.log" 2>&1 || { cat "$out/publish-feed.log" >&2; exit 1; }
PUBLISH_PROJECT=bench/EmptyFunctionApp PUBLISH_DIR="$out/empty" bash scripts/publish.sh >"$out/publish-empty.log" 2>&1 \
  || { cat "$out/publish-empty.log" >&2; exit 1; }
dotnet build bench/FeedBench -c Release >"$out/build-bench.log" 2>&1 || { cat "$out/build-bench.log" >&2; exit 1; }

# Azurite keeps its data in memory, unless AZURITE_DISK=1: on disk as run-local.sh does. In memory, each queue
# message is an extent of its own, and Azurite's queue GC (every 60 s) removes consumed ones one by one with a scan of
# all extents: under sustained pushes (one event message each) it blocks Azurite's only thread for 20-60 s at a time
# (measured, docs/reliability.md). On disk, messages share extent files and the GC stays cheap.
azurite_log="$out/azurite.log"
if [ "${AZURITE_DISK:-0}" = 1 ]; then
  rm -rf "$out/azurite-data"
  persistence=(--location "$out/azurite-data")
  echo "Starting Azurite (data on disk in $out/azurite-data, free loopback ports)..." >&2
else
  persistence=(--inMemoryPersistence --extentMemoryLimit 6144)
  echo "Starting Azurite (in memory, free loopback ports)..." >&2
fi
node node_modules/azurite/dist/src/azurite.js --silent "${persistence[@]}" --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort 0 --queueHost 127.0.0.1 --queuePort 0 --tableHost 127.0.0.1 --tablePort 0 \
  >"$azurite_log" 2>&1 &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true' EXIT

port_of() { sed -n "s/.*Azurite $1 service is successfully listening at http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p" "$azurite_log" | head -n 1; }
for _ in $(seq 1 120); do
  if [ -n "$(port_of Blob)" ] && [ -n "$(port_of Queue)" ] && [ -n "$(port_of Table)" ]; then break; fi
  if ! kill -0 "$azurite_pid" 2>/dev/null; then cat "$azurite_log" >&2; echo "Azurite exited" >&2; exit 1; fi
  sleep 0.5
done
if [ -z "$(port_of Table)" ]; then cat "$azurite_log" >&2; echo "Azurite did not start in 60 s" >&2; exit 1; fi

account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
connection="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$(port_of Blob)/$account;QueueEndpoint=http://127.0.0.1:$(port_of Queue)/$account;TableEndpoint=http://127.0.0.1:$(port_of Table)/$account;"

dotnet bench/FeedBench/bin/Release/net10.0/FeedBench.dll --connection "$connection" \
  --app "$out/feed/app" --empty-app "$out/empty/app" --func "$FUNC" "$@"
