# Sourced by the scripts: sets FUNC to Azure Functions Core Tools' func, looking in node_modules/.bin (installed by
# npm ci where its host download works), then on PATH. Without one, FUNC stays empty and func_or_exit says how to get it.
FUNC=""
if [ -x node_modules/.bin/func ] && node_modules/.bin/func --version >/dev/null 2>&1; then
  FUNC=$(pwd)/node_modules/.bin/func
elif command -v func >/dev/null 2>&1; then
  FUNC=$(command -v func)
fi

func_or_exit() {
  if [ -z "$FUNC" ]; then
    if [ -x ../shared/tools/func ]; then
      echo "func (Azure Functions Core Tools) not found: run export PATH=\"$(cd ../shared/tools && pwd):\$PATH\" and try again." >&2
    else
      echo "func (Azure Functions Core Tools 4) not found: install it (npm i -g azure-functions-core-tools@4) or put it on PATH." >&2
    fi
    exit 1
  fi
}
