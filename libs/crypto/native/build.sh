#!/usr/bin/env bash
# Builds the native pairing addon (blstrs via napi-rs) into dist/carechain_pairing.node.
# Skips the build when the sources are unchanged since the last successful build.
# Exits 0 without an addon when cargo is missing: @carechain/crypto then falls back to WASM.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/dist/carechain_pairing.node"
stamp="$here/dist/.source-hash"

hash="$(cd "$here" && cat Cargo.toml Cargo.lock build.rs src/*.rs 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [[ -f "$out" && -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "native pairing addon up to date: $out"
  exit 0
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: skipping the native pairing addon (the WASM backend will be used)" >&2
  exit 0
fi
# Compiled dependencies live in the machine cache, so a fresh clone on a machine that built the
# addon before recompiles only this crate (seconds instead of minutes).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${CARECHAIN_CACHE:-$HOME/.cache/carechain}/cargo-target/native-pairing}"
(cd "$here" && nice -n 10 cargo build --release --locked 2>&1 || nice -n 10 cargo build --release)
mkdir -p "$here/dist"
case "$(uname -s)" in
  Darwin) lib="libcarechain_pairing.dylib" ;;
  *) lib="libcarechain_pairing.so" ;;
esac
cp "$CARGO_TARGET_DIR/release/$lib" "$out.tmp"
mv "$out.tmp" "$out"
echo "$hash" > "$stamp"
echo "built $out"
