#!/bin/sh
# Set up anchornet in ./.venv and build the demo workspace from the bundled sample.
set -eu
EXTRAS=""
. "$(dirname "$0")/venv.sh"
exec .venv/bin/anchornet --workspace "${ANCHORNET_WORKSPACE:-demo-workspace}" demo "$@"
