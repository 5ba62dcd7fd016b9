#!/usr/bin/env bash
# Builds bin/kafka-dev-broker (librdkafka mock cluster launcher).
# Installs librdkafka-dev (and gcc) from Debian packages when missing.
# Usage: tools/kafka-dev-broker/build.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/broker.c"
out="$here/bin/kafka-dev-broker"
header=/usr/include/librdkafka/rdkafka_mock.h

force=0
if [[ "${1:-}" == "--force" ]]; then
  force=1
fi

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "kafka-dev-broker/build.sh: need root (or sudo) to run: $*" >&2
    exit 1
  fi
}

packages=()
if [[ ! -f "$header" ]]; then
  packages+=(librdkafka-dev)
fi
if ! command -v gcc >/dev/null 2>&1; then
  packages+=(gcc libc6-dev)
fi
if (( ${#packages[@]} > 0 )); then
  echo "kafka-dev-broker/build.sh: installing ${packages[*]}" >&2
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
fi

if (( force == 0 )) && [[ -x "$out" && "$out" -nt "$src" && "$out" -nt "${BASH_SOURCE[0]}" ]]; then
  exit 0
fi

mkdir -p "$here/bin"
# Compile to a temporary name and rename, so concurrent builds (e.g. parallel
# test workers) never see a half-written binary.
tmp="$(mktemp "$here/bin/.kafka-dev-broker.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
gcc -O2 -Wall -Wextra -o "$tmp" "$src" -lrdkafka
chmod 755 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "kafka-dev-broker/build.sh: built $out" >&2
