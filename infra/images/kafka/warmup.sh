#!/bin/sh
# Image build step: runs the broker once, until "Kafka Server started", with
# -XX:ArchiveClassesAtExit, so the image carries a class-data archive of everything a start
# loads; then wipes and re-formats the storage so containers start from a clean cluster.
# Ports are random high ones: the build shares the host network.
set -eu
port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
KAFKA_PORT=$port KAFKA_CONTROLLER_PORT=$(( port + 1 )) KAFKA_HEAP=256m \
  KAFKA_JAVA_OPTS="-XX:ArchiveClassesAtExit=/opt/kafka/kafka.jsa" /opt/kafka/entrypoint.sh >/tmp/warmup.log 2>&1 &
pid=$!
i=0
until grep -q "Kafka Server started" /tmp/warmup.log; do
  i=$(( i + 1 ))
  if [ "$i" -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then cat /tmp/warmup.log; exit 1; fi
  sleep 1
done
kill -TERM "$pid"
wait "$pid" || true
test -s /opt/kafka/kafka.jsa
rm -rf /data/kafka /tmp/warmup.log
KAFKA_FORMAT_ONLY=1 /opt/kafka/entrypoint.sh >/dev/null
