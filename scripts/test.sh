#!/bin/sh
# Set up anchornet with its test tools in ./.venv and run the whole test suite.
set -eu
EXTRAS="[dev]"
. "$(dirname "$0")/venv.sh"
.venv/bin/ruff check src tests benchmarks
exec .venv/bin/python -m pytest -q "$@"
