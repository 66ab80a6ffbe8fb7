#!/usr/bin/env bash
# Installs the app into .venv (first time) and starts it. First run offers the built-in demo case.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-env.sh
exec .venv/bin/neglect-tool "$@"
