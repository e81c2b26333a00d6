#!/usr/bin/env bash
# Installs the pinned Azurite (package-lock.json) unless node_modules already matches the lock file.
# A hash stamp, not file times: git checkouts give the lock file a fresh mtime without changing it.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.feed-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/azurite ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Azurite (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
