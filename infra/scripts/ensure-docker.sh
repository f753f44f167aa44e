#!/usr/bin/env bash
# Makes sure a Docker engine answers, and tells the caller how to reach it.
#
# Order: the engine DOCKER_HOST names, the default socket, then our own engine under
# $CARECHAIN_CACHE/docker/ (started earlier by this script or by hand). When none answers and
# we are root on Debian, installs docker.io from apt and starts dockerd with its whole state
# (data root, exec root, socket, pidfile, log) under $CARECHAIN_CACHE/docker/.
#
# Output contract (stdout, one line, nothing else):  export DOCKER_HOST=unix:///...
# so callers can `eval "$(bash infra/scripts/ensure-docker.sh)"`. When sourced, it exports
# DOCKER_HOST itself. Progress goes to stderr. The same export line is written to
# $CARECHAIN_CACHE/docker/env.sh. If this script started the engine, it writes
# $CARECHAIN_CACHE/docker/started-by-us; infra/scripts/stop-docker.sh stops only such an engine.

_carechain_ensure_docker() {
  local cache="${CARECHAIN_CACHE:-$HOME/.cache/carechain}"
  local dir="$cache/docker"
  local own_sock="$dir/docker.sock"
  _cc_log() { echo "[carechain] $*" >&2; }

  if ! command -v docker >/dev/null 2>&1 && [ "$(id -u)" != 0 ]; then
    _cc_log "no docker client and not root: install Docker, or run as root on Debian"; return 1
  fi

  _cc_answers() { DOCKER_HOST="$1" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

  local candidates=()
  [ -n "${DOCKER_HOST:-}" ] && candidates+=("$DOCKER_HOST")
  candidates+=("unix:///var/run/docker.sock" "unix://$own_sock")
  local host=""
  if command -v docker >/dev/null 2>&1; then
    for c in "${candidates[@]}"; do
      if _cc_answers "$c"; then host="$c"; break; fi
    done
  fi

  if [ -z "$host" ]; then
    if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
      _cc_log "no Docker engine answers (tried ${candidates[*]}), and we can only start one as root on Debian"
      return 1
    fi
    mkdir -p "$dir" "$cache/logs"
    if ! command -v dockerd >/dev/null 2>&1; then
      _cc_log "installing docker.io from Debian (about 20 s)..."
      apt-get update >>"$cache/logs/apt.log" 2>&1 && \
        DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io >>"$cache/logs/apt.log" 2>&1 || {
          _cc_log "apt-get install docker.io failed; see $cache/logs/apt.log"; return 1; }
    fi
    # A stale pidfile from a crashed dockerd makes the next one refuse to start.
    if [ -f "$dir/dockerd.pid" ] && ! kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
      rm -f "$dir/dockerd.pid"
    fi
    _cc_log "starting dockerd with its state in $dir (log: $cache/logs/dockerd.log)..."
    # Every container and build of ours uses host networking, so this engine writes no iptables
    # rules: the host's firewall (and a later Kubernetes node's FORWARD chain) is left as it was.
    # The default bridge stays: testcontainers inspects the "bridge" network before it will
    # use an engine (an engine started with --bridge=none was refused).
    nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$own_sock" \
      --pidfile "$dir/dockerd.pid" --iptables=false --ip-masq=false \
      >>"$cache/logs/dockerd.log" 2>&1 </dev/null &
    local i
    for i in $(seq 1 60); do
      if _cc_answers "unix://$own_sock"; then host="unix://$own_sock"; break; fi
      sleep 1
    done
    if [ -z "$host" ]; then
      _cc_log "dockerd did not answer within 60 s; last log lines:"; tail -n 20 "$cache/logs/dockerd.log" >&2
      return 1
    fi
    date -u +%FT%TZ > "$dir/started-by-us"
    _cc_log "dockerd is up ($host)"
  else
    _cc_log "using the Docker engine at $host"
  fi

  mkdir -p "$dir"
  echo "export DOCKER_HOST=$host" > "$dir/env.sh"
  export DOCKER_HOST="$host"
  # Ryuk's image cannot be pulled here; libs/testing reaps its own containers by label.
  export TESTCONTAINERS_RYUK_DISABLED=true
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _carechain_ensure_docker
  echo "export DOCKER_HOST=$DOCKER_HOST"
else
  _carechain_ensure_docker
fi
