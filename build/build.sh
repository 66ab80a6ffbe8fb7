#!/usr/bin/env bash
# Build the one-folder Linux app with PyInstaller, then smoke-test the frozen binary headless.
#   bash build/build.sh            (uses ./.venv, creating it via scripts/setup-env.sh if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    bash scripts/setup-env.sh --test
fi
.venv/bin/python -m pip install --quiet "pyinstaller>=6.10,<7"
rm -rf build/dist build/work
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath build/dist --workpath build/work build/neglect_tool.spec
.venv/bin/python build/smoke.py build/dist/neglect-tool/neglect-tool
