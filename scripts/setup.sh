#!/usr/bin/env bash
# Install what finsam needs: Tesseract with Swedish data (Debian/Ubuntu packages), then
# finsam itself. Idempotent: installs only what is missing.
#   scripts/setup.sh          finsam and its runtime needs
#   scripts/setup.sh --test   also the test tools (pytest, frictionless, headless Chromium
#                             for the report's browser test)
set -euo pipefail
cd "$(dirname "$0")/.."

# gcc (and Python's headers) build finsam's one compiled part, the page turn
# (extract/_turn.c); without them finsam installs and turns pages with Pillow, slower
packages=(tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng gcc)
python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || packages+=(python3-dev)
[ "${1:-}" = "--test" ] && packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install ${missing[*]} (Tesseract 4+ with Swedish and English data) with your package manager" >&2
    exit 1
  fi
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

extra=""; [ "${1:-}" = "--test" ] && extra="[test]"
python3 -m pip install -q -e ".${extra}"
