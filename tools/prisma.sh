#!/usr/bin/env bash
# Runs the Prisma CLI for every service's schema: `tools/prisma.sh generate`,
# `tools/prisma.sh migrate deploy`. Prisma's CLI runs on the WASM engines.
set -euo pipefail
cd "$(dirname "$0")/.."
for service in intake routing province notifications oversight; do
  PRISMA_SERVICE="$service" node node_modules/prisma/build/index.js "$@" --config prisma/prisma.config.ts 2>&1 \
    | sed -e '/^Loaded Prisma config/d' -e '/^$/d' -e '/nodedir/d' -e '/Prisma config detected/d' -e "s/^/[$service] /"
done
