#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium (playwright-core never downloads browsers
# here) and read Thai pages: installs chromium and a Thai font from Debian packages when missing.
set -euo pipefail

packages=()
if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  packages+=(chromium)
fi
if command -v fc-list >/dev/null 2>&1 && [[ -z "$(fc-list :lang=th 2>/dev/null)" ]]; then
  packages+=(fonts-thai-tlwg)
fi
(( ${#packages[@]} == 0 )) && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser-setup.sh: install ${packages[*]} for the console's browser tests" >&2
  exit 0
fi
run=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "browser-setup.sh: need root (or sudo) to install ${packages[*]}" >&2
    exit 0
  fi
  run=(sudo)
fi
echo "browser-setup.sh: installing ${packages[*]}" >&2
"${run[@]}" apt-get update
"${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
