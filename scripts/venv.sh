# Shared by demo.sh and test.sh: make ./.venv if needed and install anchornet into it.
# Usage: EXTRAS="[dev]" (or "") then: . scripts/venv.sh
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e ".${EXTRAS:-}"
