#!/usr/bin/env bash
# Create .venv/ in the project root and install nqbot into it (idempotent).
# Usage: scripts/setup.sh [dev]   — "dev" adds the test tools and the sentence-transformers path.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
bash scripts/setup-system.sh  # Tesseract (scans), antiword (.doc): apt when root, else a note
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
. .venv/bin/activate
stamp=".venv/.nqbot-installed-${1:-run}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    python -m pip install --quiet --upgrade pip
    if [ "${1:-}" = "dev" ]; then
        # A CPU build of torch first, or pip pulls a multi-GB CUDA build for sentence-transformers.
        python -m pip install --quiet "torch==2.13.0" \
            || python -m pip install --quiet torch
        python -m pip install --quiet -e ".[dev,st]"
    else
        python -m pip install --quiet -e .
    fi
    touch "$stamp"
fi
