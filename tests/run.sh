#!/usr/bin/env bash
# Sets up a fresh virtual environment and runs the whole test suite (lint, fast and slow tests).
# Usage: bash tests/run.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${ZHENBAO_VENV:-.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# The CPU build of torch must be installed before sentence-transformers asks for torch,
# or pip pulls several GB of CUDA packages.
python -m pip install -q "torch==2.13.0"
python -m pip install -q -e ".[dev,st,ocr,milvus]"
bash .ci/install-system.sh
ruff check .
ruff format --check .
# Tests never download models: keep the Hugging Face hub offline and indexes in a throwaway cache.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export ZHENBAO_CACHE_DIR="${ZHENBAO_CACHE_DIR:-$(mktemp -d)}"
python -m pytest -q "$@"
