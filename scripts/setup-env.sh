#!/usr/bin/env bash
# Creates .venv with the app (and, with --test, the test extras), installing the system packages Qt and
# the PDF checks need. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

# System libraries: Qt's xcb platform (a real window), Xvfb (screenshots), poppler-utils and qpdf (PDF
# checks). Installed only when missing, and only when we can (root, or passwordless sudo).
APT_PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 fonts-dejavu-core"
[ "$WITH_TEST" = 1 ] && APT_PACKAGES="$APT_PACKAGES poppler-utils qpdf xvfb xauth dbus-daemon dbus-bin"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $APT_PACKAGES; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
fi
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  echo "Installing system packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$WITH_TEST" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
