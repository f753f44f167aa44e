#!/usr/bin/env bash
# Host-side step of the ferretdb image: builds server/ (FerretDB 1.24.2, SQLite handler) from the
# Go module proxy into the cache, keyed by version and by the hash of our module, and copies the
# binary into .build/. Idempotent: a cached binary is reused, and only .build/ is written here.
#
# Why on the host: the cold build takes about 5 minutes on 2 cores, and the Go toolchain and
# module cache are already on the host; the image then only needs the static binary.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FERRETDB_VERSION="1.24.2"
CARECHAIN_CACHE="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"

command -v go >/dev/null 2>&1 || { echo "[ferretdb] go is required on PATH (Go >= 1.24)" >&2; exit 1; }

# Any change to our module (main.go, go.mod, go.sum) gives a new cache key.
module_hash=$(cat "$here/server/go.mod" "$here/server/go.sum" "$here/server/main.go" | sha256sum | cut -c1-12)
cached="$CARECHAIN_CACHE/bin/ferretdb-server-$FERRETDB_VERSION-$module_hash"

if [ -x "$cached" ]; then
  echo "[ferretdb] using cached $cached"
else
  echo "[ferretdb] building FerretDB $FERRETDB_VERSION (SQLite) from the Go module proxy; a cold build takes about 5 minutes..."
  mkdir -p "$(dirname "$cached")"
  started=$(date +%s)
  # modernc.org/sqlite is pure Go, so the binary is static and runs on the bare base image.
  (cd "$here/server" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags='-s -w' -o "$cached.tmp.$$" .)
  mv -f "$cached.tmp.$$" "$cached"
  echo "[ferretdb] built in $(( $(date +%s) - started )) s: $cached"
fi

mkdir -p "$here/.build"
cp -f "$cached" "$here/.build/ferretdb-server"
echo "[ferretdb] .build/ferretdb-server ready"
