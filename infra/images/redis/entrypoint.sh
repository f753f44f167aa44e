#!/bin/sh
# Runs redis-server on loopback at $REDIS_PORT. REDIS_APPENDONLY=yes keeps an AOF under /data
# (used by `infra up`); tests run without persistence.
set -eu
exec redis-server --bind "${REDIS_HOST:-127.0.0.1}" --port "${REDIS_PORT:-6379}" --protected-mode no \
  --dir /data --save "" --appendonly "${REDIS_APPENDONLY:-no}" --loglevel notice
