#!/usr/bin/env bash
# Builds the Azure Functions deployment package of the isolated-worker app:
#   publish/app/       the app root: FeedFunctions.dll and its dependencies (ReadyToRun, linux-x64, framework-dependent:
#                      Flex Consumption provides .NET 10), host.json, functions.metadata, worker.config.json and
#                      .azurefunctions/ (the host-side extensions the Worker SDK builds: queue trigger, timer, HTTP proxying)
#   publish/feed.zip   the same, zipped, with those at the root of the archive
# Deploy with: az functionapp deployment source config-zip -g <rg> -n <app> --src publish/feed.zip
# Safe to re-run: both outputs are rebuilt from scratch. Extra arguments go to dotnet publish.
set -euo pipefail
cd "$(dirname "$0")/.."

project=${PUBLISH_PROJECT:-src/FeedFunctions}
out=${PUBLISH_DIR:-publish}
app=$out/app
zip_path=$out/feed.zip

rm -rf "$app" "$zip_path"
mkdir -p "$app"

# ReadyToRun shortens the JIT part of each cold start; it needs a runtime identifier. SatelliteResourceLanguages=en
# keeps the dependencies' translated resource folders (cs/, de/, ...) out of the package.
dotnet publish "$project" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -p:SatelliteResourceLanguages=en \
  -o "$app" "$@"

for required in host.json functions.metadata worker.config.json .azurefunctions; do
  if [ ! -e "$app/$required" ]; then
    echo "publish did not produce $app/$required (is this an isolated-worker project with Microsoft.Azure.Functions.Worker.Sdk?)" >&2
    exit 1
  fi
done
if [ -e "$app/local.settings.json" ]; then
  echo "local.settings.json must not be deployed" >&2
  exit 1
fi

# Zip the *contents* of the app root (host.json must be at the top of the archive), dot folders included.
case "$zip_path" in /*) zip_abs=$zip_path ;; *) zip_abs="$(pwd)/$zip_path" ;; esac
python3 - "$app" "$zip_abs" <<'PY'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            archive.write(path, os.path.relpath(path, root))
with zipfile.ZipFile(target) as z:
    names = set(z.namelist())
    for required in ("host.json", "functions.metadata", "worker.config.json"):
        if required not in names:
            sys.exit(f"{target}: {required} is not at the root of the archive")
    if not any(n.startswith(".azurefunctions/") for n in names):
        sys.exit(f"{target}: .azurefunctions/ is missing")
PY

size=$(du -h "$zip_path" | cut -f1)
echo "Package: $zip_abs ($size)"
