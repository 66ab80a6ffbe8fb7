#!/usr/bin/env bash
# Every check the project has: lint, types, the architecture contracts, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-env.sh --test
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
start=$(date +%s)
echo "== ruff";          .venv/bin/ruff check neglect_tool tests benchmarks scripts build
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest"
status=0
.venv/bin/pytest -p no:cacheprovider "$@" || status=$?
[ "$status" = 5 ] && { echo "pytest collected no tests"; status=1; }
echo "checks took $(( $(date +%s) - start ))s"
exit "$status"
