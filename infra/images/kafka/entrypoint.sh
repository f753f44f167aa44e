#!/bin/sh
# Writes server.properties from the environment and runs a single-node KRaft broker.
# Ports come from the environment because containers share the host network and tests pick
# free ports. Topics are never auto-created: every service creates its own topics at boot.
set -eu
: "${KAFKA_PORT:=9092}" "${KAFKA_CONTROLLER_PORT:=9093}" "${KAFKA_NODE_ID:=1}"
: "${KAFKA_HOST:=127.0.0.1}" "${KAFKA_DATA_DIR:=/data/kafka}" "${KAFKA_HEAP:=512m}"
: "${KAFKA_CLUSTER_ID:=Y2FyZWNoYWluLWthZmthMQ}"
conf=/opt/kafka/server.properties
cat > "$conf" <<PROPS
process.roles=broker,controller
node.id=${KAFKA_NODE_ID}
controller.quorum.voters=${KAFKA_NODE_ID}@${KAFKA_HOST}:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://${KAFKA_HOST}:${KAFKA_PORT},CONTROLLER://${KAFKA_HOST}:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://${KAFKA_HOST}:${KAFKA_PORT}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${KAFKA_DATA_DIR}
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
PROPS
cp="/opt/kafka/libs/*"
if [ ! -f "${KAFKA_DATA_DIR}/meta.properties" ]; then
  mkdir -p "${KAFKA_DATA_DIR}"
  java -Xmx256m -Dlog4j2.configurationFile=/opt/kafka/log4j2.yaml -cp "$cp" kafka.tools.StorageTool \
    format -t "${KAFKA_CLUSTER_ID}" -c "$conf"
fi
# The image build formats the default storage and stops here.
[ "${KAFKA_FORMAT_ONLY:-0}" = 1 ] && exit 0
# The class-data archive made at image build (warmup.sh) saves loading and verifying some
# thousand classes at every start.
cds="-Xshare:auto"
[ -f /opt/kafka/kafka.jsa ] && cds="-XX:SharedArchiveFile=/opt/kafka/kafka.jsa -Xshare:auto"
exec java -Xmx"${KAFKA_HEAP}" -Xms"${KAFKA_HEAP}" -XX:+UseG1GC -XX:TieredStopAtLevel=1 ${KAFKA_JAVA_OPTS:-$cds} \
  -Dlog4j2.configurationFile=/opt/kafka/log4j2.yaml -cp "$cp" kafka.Kafka "$conf"
