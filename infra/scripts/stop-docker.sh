#!/usr/bin/env bash
# Stops the Docker engine only if infra/scripts/ensure-docker.sh started it (the marker
# $CARECHAIN_CACHE/docker/started-by-us exists); an engine someone else runs is left alone.
# Containers are stopped with it; images and volumes stay in $CARECHAIN_CACHE/docker/data.
set -euo pipefail
cache="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"
dir="$cache/docker"
if [ ! -f "$dir/started-by-us" ]; then
  echo "[carechain] the Docker engine was not started by ensure-docker.sh; leaving it running" >&2
  exit 0
fi
pid="$(cat "$dir/dockerd.pid" 2>/dev/null || true)"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  echo "[carechain] stopping dockerd (pid $pid)..." >&2
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then echo "[carechain] dockerd did not stop within 30 s" >&2; exit 1; fi
fi
rm -f "$dir/started-by-us" "$dir/env.sh"
