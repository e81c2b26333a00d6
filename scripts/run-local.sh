#!/usr/bin/env bash
# Runs the feed locally: Azurite on its default ports (data in .azurite/), then the app on http://localhost:7071.
# Ctrl+C stops both. Extra arguments go to the app (e.g. --urls http://localhost:5000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh

mkdir -p .azurite
# Azurite gets a session of its own so Ctrl+C reaches only the app: the app shuts down gracefully first, and the
# EXIT trap then stops Azurite by its PID.
setsid node node_modules/azurite/dist/src/azurite.js --silent --location .azurite --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .azurite/azurite.log 2>&1 &
azurite_pid=$!
stop() { kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 1 100); do
  if grep -q "Table service is successfully listening" .azurite/azurite.log 2>/dev/null; then break; fi
  if ! kill -0 "$azurite_pid" 2>/dev/null; then cat .azurite/azurite.log; echo "Azurite failed to start (ports 10000-10002 busy?)" >&2; exit 1; fi
  sleep 0.1
done
echo "Azurite running (pid $azurite_pid), data in .azurite/"

export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
export Feed__ApiKey="${Feed__ApiKey:-local-dev-key}"
dotnet build src/FeedFunctions -c Release --nologo -v quiet
echo "Feed on http://localhost:7071 (source http://localhost:7071/v3/index.json, key $Feed__ApiKey); Ctrl+C stops it and Azurite"
dotnet src/FeedFunctions/bin/Release/net10.0/FeedFunctions.dll "$@"
