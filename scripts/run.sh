#!/usr/bin/env bash
# The one entry point behind the README's commands (`npm start`, `npm test`) and the other npm
# scripts. Each step installs what is missing first, so a fresh clone on a fresh machine works:
#   Node 24 -> npm dependencies -> build -> (native addon, contract artifacts) -> Docker engine
#   -> infrastructure images -> the command itself.
# Usage: bash scripts/run.sh <start|test|lint|typecheck|build|test:unit|test:integration|infra|bench|demo> [args]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/node.sh

say() { printf '[carechain] %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

# npm dependencies, reinstalled only when the lockfile or the Node version changed.
ensure_deps() {
  local stamp=node_modules/.carechain-installed want
  want="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing npm dependencies (npm ci; about 2 minutes on a fresh machine)..."
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

# Generated sources that the typecheck and the build need (each step is cached by its own script).
ensure_generated() {
  if [ -f libs/chain/scripts/compile.ts ]; then
    say "compiling Solidity contracts (cached when unchanged)..."
    npx tsx libs/chain/scripts/compile.ts
  fi
}

# The native pairing addon; without a Rust toolchain the crypto lib falls back to WASM.
ensure_native() {
  if [ -f libs/crypto/native/build.sh ]; then
    if command -v cargo >/dev/null 2>&1; then
      say "building the native pairing addon (cached when unchanged; about 1 minute cold)..."
      bash libs/crypto/native/build.sh
    else
      say "no cargo on this machine: @carechain/crypto will use its WASM backend"
    fi
  fi
}

build() {
  ensure_generated
  say "building libs and services (tsc -b, incremental)..."
  npx tsc -b tsconfig.build.json
}

ENGINE_STARTED_HERE=0
# A Docker engine (installed and started when none answers) and the locally built images.
ensure_infra_images() {
  local marker="$CARECHAIN_CACHE/docker/started-by-us" pidfile="$CARECHAIN_CACHE/docker/dockerd.pid" before=absent
  # A marker left by an engine that has since died (a crashed run) is not an engine of ours.
  if [ -f "$marker" ] && ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then rm -f "$marker"; fi
  [ -f "$marker" ] && before=present
  eval "$(bash infra/scripts/ensure-docker.sh)"
  export DOCKER_HOST
  if [ "$before" = absent ] && [ -f "$marker" ]; then ENGINE_STARTED_HERE=1; fi
  say "building infrastructure images (cached by content hash; 10-15 minutes on a fresh machine, mostly geth)..."
  npx tsx infra/build-images.ts >/dev/null
}

# An engine this run had to start is stopped when the run ends (CI leaves nothing behind).
stop_engine_if_ours() {
  if [ "$ENGINE_STARTED_HERE" = 1 ]; then
    say "stopping the Docker engine this run started"
    bash infra/scripts/stop-docker.sh || true
  fi
}

lint() {
  say "lint: eslint (type-aware, Nx module boundaries)..."
  npx nx show projects >/dev/null  # caches the project graph the module-boundary rule reads
  npx eslint --max-warnings=0 .
  say "lint: dependency-cruiser (no cross-service imports, pure domain layers)..."
  npx depcruise --config .dependency-cruiser.cjs --output-type err libs services
}

typecheck() {
  say "typecheck: tsc over every project, test and script..."
  npx tsc -p tsconfig.json
}

RESULTS_DIR=$(mktemp -d)
# Runs one Jest configuration and keeps its JSON summary for the closing line.
jest_run() {
  local name=$1; shift
  say "tests: $name..."
  npx jest --ci --json --outputFile="$RESULTS_DIR/$name.json" "$@"
}

# The plain closing line CI reads: "<N> passed, <N> failed".
summarise() {
  ls "$RESULTS_DIR"/*.json >/dev/null 2>&1 || return 0
  node -e '
    const fs = require("fs"); let passed = 0, failed = 0;
    for (const f of fs.readdirSync(process.argv[1])) {
      const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests;
    }
    console.log(`${passed} passed, ${failed} failed`);' "$RESULTS_DIR"
}

command=${1:-}; shift || true
ensure_node24
ensure_deps

case "$command" in
  lint) ensure_generated; lint ;;
  typecheck) ensure_generated; typecheck ;;
  build) build ;;
  test:unit) ensure_generated; ensure_native; jest_run unit -c jest.unit.config.js "$@"; summarise ;;
  test:integration)
    build; ensure_native; trap stop_engine_if_ours EXIT; ensure_infra_images
    jest_run integration -c jest.integration.config.js "$@"; summarise ;;
  test)
    started=$(date +%s)
    trap 'summarise 2>/dev/null || true; stop_engine_if_ours' EXIT
    ensure_generated; lint; typecheck; ensure_native
    jest_run unit -c jest.unit.config.js
    build; ensure_infra_images
    jest_run integration -c jest.integration.config.js
    say "npm test finished in $(( $(date +%s) - started )) s"
    ;;
  start)
    build; ensure_native; ensure_infra_images
    say "starting the infrastructure and every service (Ctrl-C stops everything)..."
    exec npx tsx scripts/start.ts "$@"
    ;;
  infra) [ "${1:-}" = up ] && ensure_infra_images; exec npx tsx infra/cli.ts "$@" ;;
  demo) exec npx tsx scripts/demo-ehr-add.ts "$@" ;;
  bench)
    name=${1:?usage: bench <name>}; shift
    build; ensure_native
    case "$name" in store|relay) ensure_infra_images ;; esac
    exec npx tsx "bench/$name/run.ts" "$@"
    ;;
  *) echo "usage: scripts/run.sh <start|test|lint|typecheck|build|test:unit|test:integration|infra|bench|demo> [args]" >&2; exit 2 ;;
esac
