#!/usr/bin/env bash
# Runs the feed locally on the Azure Functions host: Azurite on its default ports (data in .azurite/), the app built
# into .local/app, then `func start` on http://localhost:7071 with local.settings.json (created from
# local.settings.sample.json on first run). Ctrl+C stops the host, its worker and Azurite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-modules.sh
source scripts/func.sh
func_or_exit

[ -f local.settings.json ] || { cp local.settings.sample.json local.settings.json; echo "Created local.settings.json from the sample."; }

mkdir -p .azurite
# Azurite gets a session of its own so Ctrl+C reaches only the host and its worker: they stop first, and the EXIT
# trap then stops Azurite by its PID.
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

# A build output of its own: func reads local.settings.json from the folder it serves, and the tests serve the
# regular build output, which must not carry local settings.
app=.local/app
dotnet build src/FeedFunctions -c Release -o "$app" --nologo -v quiet
cp local.settings.json "$app/"
key=$(python3 -c "import json;print(json.load(open('local.settings.json'))['Values'].get('Feed__ApiKey',''))")
echo "Feed on http://localhost:7071 (source http://localhost:7071/v3/index.json, key ${key:-<none set>}); Ctrl+C stops it and Azurite"
"$FUNC" start --no-build --script-root "$app" --port 7071
