#!/usr/bin/env bash
# Host-side step before `docker build`: go-ethereum v1.11.6 (the last release that mines
# ethash), built once from the Go module proxy into $CARECHAIN_CACHE/bin/geth-1.11.6
# (about 9 minutes on 2 cores), plus the project's genesis, copied into .build/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"
version=1.11.6
bin="$cache/bin/geth-$version"
if [ ! -x "$bin" ]; then
  command -v go >/dev/null 2>&1 || { echo "[carechain] geth: Go is needed to build geth $version (install golang from go.dev or Debian)" >&2; exit 1; }
  mkdir -p "$cache/bin" "$cache/logs"
  gobin="$(mktemp -d)"
  echo "[carechain] geth: building go-ethereum v$version from the Go module proxy (about 9 min on 2 cores; log: $cache/logs/geth-build.log)..." >&2
  start=$(date +%s)
  # -checklinkname=0: geth 1.11 links to runtime internals that newer Go toolchains hide.
  CGO_ENABLED=1 GOBIN="$gobin" nice -n 10 go install -ldflags=-checklinkname=0 \
    "github.com/ethereum/go-ethereum/cmd/geth@v$version" >"$cache/logs/geth-build.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && echo "[carechain] geth: still building ($(( $(date +%s) - start )) s)..." >&2
  done
  wait "$pid" || { echo "[carechain] geth: build failed; see $cache/logs/geth-build.log" >&2; exit 1; }
  mv "$gobin/geth" "$bin" && rm -rf "$gobin"
  echo "[carechain] geth: built in $(( $(date +%s) - start )) s" >&2
fi
rm -rf "$here/.build" && mkdir -p "$here/.build"
cp "$bin" "$here/.build/geth"
cp "$here/../../chain/genesis.json" "$here/.build/genesis.json"
