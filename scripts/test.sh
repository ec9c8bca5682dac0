#!/usr/bin/env bash
# Lint and the whole test suite. Creates .venv/ and installs everything on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
. .venv/bin/activate
ruff check .
ruff format --check .
python -m pytest "$@"
