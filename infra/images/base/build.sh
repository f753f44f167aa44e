#!/usr/bin/env bash
# Makes the base image every other image starts FROM: carechain/base:bookworm.
#
# Where debian:bookworm-slim can be pulled, it is tagged as the base. Otherwise (no registry
# reachable) a minimal Debian bookworm is made with `debootstrap --variant=minbase` from the
# host's Debian mirror and imported with `docker import`; its /etc/apt/sources.list gets the
# mirror line, because a debootstrap root has none and every image runs apt-get at build.
# Does nothing when the tag already exists (pass --force to remake it).
set -euo pipefail
tag="${CARECHAIN_BASE_TAG:-carechain/base:bookworm}"
cache="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"
mirror="${CARECHAIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
say() { echo "[carechain] base: $*" >&2; }
docker version >/dev/null 2>&1 || { say "no Docker engine answers at ${DOCKER_HOST:-the default socket}; run infra/scripts/ensure-docker.sh first"; exit 1; }

if [ "${1:-}" != "--force" ] && docker image inspect "$tag" >/dev/null 2>&1; then
  say "$tag exists"; exit 0
fi

if timeout 60 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
  docker tag debian:bookworm-slim "$tag"
  say "tagged debian:bookworm-slim as $tag"; exit 0
fi

say "no registry reachable; building $tag with debootstrap (1-3 minutes)..."
if ! command -v debootstrap >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { say "debootstrap is missing and we are not root to install it"; exit 1; }
  say "installing debootstrap from Debian..."
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
fi
mkdir -p "$cache/logs"
root="$(mktemp -d "${TMPDIR:-/tmp}/carechain-base.XXXXXX")"
trap 'rm -rf "$root"' EXIT
start=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$cache/logs/debootstrap.log" 2>&1 &
pid=$!
# debootstrap is quiet for long stretches; a heartbeat shows it is not hung.
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  kill -0 "$pid" 2>/dev/null && say "debootstrap running ($(( $(date +%s) - start )) s): $(tail -n 1 "$cache/logs/debootstrap.log" 2>/dev/null)"
done
wait "$pid" || { say "debootstrap failed; see $cache/logs/debootstrap.log"; exit 1; }
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
tar -C "$root" -c . | docker import - "$tag" >/dev/null
say "imported $tag in $(( $(date +%s) - start )) s"
