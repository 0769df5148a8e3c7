#!/bin/sh
# Set up anchornet in ./.venv and build the demo workspace from the bundled sample.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/anchornet --workspace "${ANCHORNET_WORKSPACE:-demo-workspace}" demo "$@"
