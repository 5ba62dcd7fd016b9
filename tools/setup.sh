#!/usr/bin/env bash
# Brings a fresh clone to a runnable state, doing only what is missing:
# dependencies (from package-lock.json), the Kafka dev broker, the Prisma
# clients and the compiled build. Used by `npm run up` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ -n "$(find patches -newer node_modules/.package-lock.json 2>/dev/null)" ]; then
  echo "setup: installing dependencies"
  # `npm install` installs the versions pinned in package-lock.json. (npm 11.19's `npm ci`
  # wrongly reports other platforms' optional binaries as missing from the lock file.)
  npm install --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"

# The console's browser tests drive Debian's Chromium (Playwright cannot download browsers here);
# Thai fonts so its pages and screenshots show Thai, not boxes.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || ! fc-list :lang=th 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Chromium and Thai fonts for the browser tests"
    apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null; }
  else
    echo "setup: Chromium (or Thai fonts) missing: install the chromium and fonts-thai-tlwg packages, or set CHROMIUM_PATH" >&2
  fi
fi

echo "setup: Kafka dev broker"
bash tools/kafka-dev-broker/build.sh

echo "setup: Prisma clients"
bash tools/prisma.sh generate >/dev/null

echo "setup: build"
npm run -s build
