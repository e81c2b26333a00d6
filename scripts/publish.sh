#!/usr/bin/env bash
# Builds the Azure Functions deployment package:
#   publish/app/       the app root: self-contained linux-x64 FeedFunctions executable, host.json, one folder per function
#   publish/feed.zip   the same, zipped, with the executable's +x bit kept (built on Linux, so no tool strips it)
# Deploy with: az functionapp deployment source config-zip -g <rg> -n <app> --src publish/feed.zip
# Safe to re-run: both outputs are rebuilt from scratch. Extra arguments go to dotnet publish.
set -euo pipefail
cd "$(dirname "$0")/.."

project=src/FeedFunctions
out=${PUBLISH_DIR:-publish}
app=$out/app
zip_path=$out/feed.zip
executable=FeedFunctions

rm -rf "$app" "$zip_path"
mkdir -p "$app"

# ReadyToRun shortens the JIT part of each cold start. SatelliteResourceLanguages=en keeps the dependencies'
# translated resource folders (cs/, de/, ...) out of the app root, where the function folders live.
dotnet publish "$project" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:SatelliteResourceLanguages=en \
  -o "$app" "$@"

if [ ! -f "$app/$executable" ]; then
  echo "publish did not produce $app/$executable" >&2
  exit 1
fi

# The Functions host looks for host.json and the <FunctionName>/function.json folders at the app root.
cp host.json "$app/"
for dir in functions/*/; do
  name=$(basename "$dir")
  if [ -e "$app/$name" ]; then
    echo "function folder '$name' collides with a file of the publish output" >&2
    exit 1
  fi
  if [ ! -f "$dir/function.json" ]; then
    echo "functions/$name has no function.json" >&2
    exit 1
  fi
  mkdir -p "$app/$name"
  cp "$dir/function.json" "$app/$name/"
done

chmod +x "$app/$executable"

# Zip the *contents* of the app root (host.json must be at the top of the archive), keeping Unix modes.
case "$zip_path" in /*) zip_abs=$zip_path ;; *) zip_abs="$(pwd)/$zip_path" ;; esac
if command -v zip >/dev/null 2>&1; then
  (cd "$app" && zip -q -r -X "$zip_abs" .)
else
  python3 - "$app" "$zip_abs" <<'PY'
import os, shutil, stat, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, root))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so readers honour the mode bits below
            info.external_attr = (stat.S_IMODE(os.stat(path).st_mode) | stat.S_IFREG) << 16
            with open(path, "rb") as source, archive.open(info, "w") as entry:
                shutil.copyfileobj(source, entry, 1024 * 1024)
PY
fi

# Fail loudly if the archive lost the executable bit: without it the host cannot start the handler.
python3 - "$zip_abs" "$executable" <<'PY'
import sys, zipfile
archive, executable = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive) as z:
    names = z.namelist()
    for required in ("host.json", executable):
        if required not in names:
            sys.exit(f"{archive}: {required} is not at the root of the archive")
    mode = z.getinfo(executable).external_attr >> 16
    if not mode & 0o100:
        sys.exit(f"{archive}: {executable} lost its executable bit (mode {oct(mode)})")
PY

size=$(du -h "$zip_path" | cut -f1)
echo "Package: $zip_abs ($size)"
